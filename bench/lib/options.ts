/** Command-line options shared by the bench scripts, parsed once with explicit defaults. */
import { parseArgs } from 'node:util';
import type { BuildMode } from './build';

export type CommonOptions = {
  posts: number;
  bodies: number;
  seed: number;
  port: number;
  build: BuildMode;
};

export class UsageError extends Error {}

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const COMMON: Spec = {
  posts: { type: 'string' },
  bodies: { type: 'string' },
  seed: { type: 'string' },
  port: { type: 'string' },
  build: { type: 'boolean' },
  'no-build': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function parse(argv: string[], extra: Spec): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...extra }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function integer(values: Record<string, unknown>, name: string, fallback: number, min = 1, max = 10_000_000): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return value;
}

export function number(values: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  return value;
}

export function buildMode(values: Record<string, unknown>): BuildMode {
  if (values.build && values['no-build']) throw new UsageError('--build and --no-build contradict each other');
  return values.build ? 'always' : values['no-build'] ? 'never' : 'auto';
}

/** Enough distinct bodies that neighbouring articles differ, few enough to render in seconds. */
export function defaultBodies(posts: number): number {
  return Math.min(200, Math.max(30, Math.ceil(posts / 100)));
}

export function common(values: Record<string, unknown>, defaults: { posts: number }): CommonOptions {
  const posts = integer(values, 'posts', defaults.posts, 1, 2_000_000);
  return {
    posts,
    bodies: integer(values, 'bodies', defaultBodies(posts), 1, 5_000),
    seed: integer(values, 'seed', 1, 0, 2 ** 31),
    port: integer(values, 'port', 3200, 1024, 65_000),
    build: buildMode(values),
  };
}

export const COMMON_HELP = `  --posts N        posts in the generated corpus
  --bodies N       distinct bodies rendered and reused (default: posts/100, 30 to 200)
  --seed N         corpus and request-mix seed (default 1)
  --port N         first server port (default 3200)
  --build          always run next build;  --no-build  never (use the existing build)
                   (default: build when the build is missing or older than the sources)`;
