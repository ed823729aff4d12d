/** Types of scripts/next-patches.mjs (a plain script: it runs at install, before any TypeScript loader is there). */
export type PatchKind = 'compiled' | 'source';
export type PatchName = 'measure-only-fetch-cache' | 'no-runtime-segment-data';
export const PATCHES: Record<
  PatchName,
  {
    what: string;
    marker: string;
    source: string;
    compiled: RegExp;
    compiledWith: string;
    compiledPatched: RegExp;
    sourceLine: string;
    sourcePatched: string;
  }
>;
export function patchTargets(nextDir: string): { file: string; patch: PatchName; kind: PatchKind }[];
export function patchText(text: string, patch: PatchName, kind: PatchKind): { text: string; patched: boolean } | null;
export function isPatched(text: string, patch: PatchName, kind: PatchKind): boolean;
