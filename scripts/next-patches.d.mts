/** Types of scripts/next-patches.mjs (a plain script: it runs at install, before any TypeScript loader is there). */
export type PatchKind = 'compiled' | 'source';
export function patchTargets(nextDir: string): { file: string; kind: PatchKind }[];
export function patchText(text: string, kind: PatchKind): { text: string; patched: boolean } | null;
export function isPatched(text: string, kind: PatchKind): boolean;
