/**
 * Calls the editor's real server actions over HTTP, as the post form does: POST to the page with
 * the action's id in `Next-Action`, the arguments as the encoded reply, the session cookie and a
 * same-origin `Origin`. Ids come from the build's server-reference manifest, by export name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { actionResult, encodeArguments } from './flight';

const root = path.resolve(import.meta.dirname, '../..');

export type ActionIds = Record<string, string>;

type Manifest = { node: Record<string, { filename?: string; exportedName?: string }> };

/** Action ids by export name, from `<distDir>/server/server-reference-manifest.json`. */
export function loadActionIds(distDir: string): ActionIds {
  const file = path.join(root, distDir, 'server/server-reference-manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const ids: ActionIds = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.exportedName && entry.filename?.startsWith('app/editor/')) ids[entry.exportedName] = id;
  }
  return ids;
}

export type ActionAnswer<T> = {
  status: number;
  ms: number;
  /** What the action returned; undefined when the answer was not a Flight payload (an error page). */
  result: T | undefined;
  /** Where the action redirected (`redirect()` inside the action), if it did. */
  redirect: string | null;
};

export type ActionClient = {
  call<T>(name: string, page: string, args: unknown[]): Promise<ActionAnswer<T>>;
};

export function actionClient(baseUrl: string, ids: ActionIds, cookie: string): ActionClient {
  return {
    async call<T>(name: string, page: string, args: unknown[]): Promise<ActionAnswer<T>> {
      const id = ids[name];
      if (!id) throw new Error(`no server action named ${name} in the build (is the build older than app/editor?)`);
      const started = performance.now();
      const response = await fetch(`${baseUrl}${page}`, {
        method: 'POST',
        headers: {
          accept: 'text/x-component',
          'content-type': 'text/plain;charset=UTF-8',
          'next-action': id,
          origin: baseUrl,
          cookie,
        },
        body: encodeArguments(args),
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      const body = Buffer.from(await response.arrayBuffer());
      const flight = (response.headers.get('content-type') ?? '').includes('text/x-component');
      const redirect = response.headers.get('x-action-redirect')?.split(';')[0] ?? null;
      return { status: response.status, ms: performance.now() - started, result: flight ? (actionResult(body) as T) : undefined, redirect };
    },
  };
}
