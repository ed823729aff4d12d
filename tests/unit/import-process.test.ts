import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_NODE_FLAGS } from '@/lib/import/limits';
import { threadsFor } from '@/lib/import/work';

describe('the processes that run imports', () => {
  it('npm run content:import starts node with the import flags', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    const command = scripts['content:import'].split('scripts/with-db.ts ')[1];
    expect(command.startsWith('node ')).toBe(true);
    for (const flag of IMPORT_NODE_FLAGS) expect(command.split(' ')).toContain(flag);
  });

  it('this Node accepts every import flag (an unknown one stops node with "bad option")', () => {
    expect(() => execFileSync(process.execPath, [...IMPORT_NODE_FLAGS, '-e', '0'], { stdio: 'pipe' })).not.toThrow();
  });

  it('uses worker threads only for an export worth their start', () => {
    expect(threadsFor(100_000)).toBe(0);
    expect(threadsFor(50_000_000)).toBeGreaterThanOrEqual(1);
  });
});
