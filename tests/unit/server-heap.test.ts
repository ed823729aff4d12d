import { describe, expect, it } from 'vitest';
import { availableMemoryBytes, defaultHeapMb, MAX_HEAP_MB, MIN_HEAP_MB, serverHeapMb } from '../../scripts/lib/serve-command';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** A filesystem of the given files; anything else does not exist. */
function files(map: Record<string, string>) {
  return (file: string): string => {
    if (file in map) return map[file];
    throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  };
}

describe('the server’s heap limit (SERVER_HEAP_MB, else derived from the memory the process may use)', () => {
  it('takes a cgroup v2 limit of the process’s own group when it is below the machine’s memory', () => {
    const readFile = files({ '/proc/self/cgroup': '0::/app.slice/broadsheet\n', '/sys/fs/cgroup/app.slice/broadsheet/memory.max': '1073741824\n' });
    expect(availableMemoryBytes({ readFile, totalmem: () => 16 * GB })).toBe(GB);
  });

  it('takes the root cgroup v2 limit in a container (cgroup namespace: "0::/")', () => {
    const readFile = files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': String(512 * MB) });
    expect(availableMemoryBytes({ readFile, totalmem: () => 16 * GB })).toBe(512 * MB);
  });

  it('treats "max" as no limit and falls back to the machine’s memory', () => {
    const readFile = files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': 'max\n' });
    expect(availableMemoryBytes({ readFile, totalmem: () => 8 * GB })).toBe(8 * GB);
  });

  it('reads cgroup v1’s memory.limit_in_bytes, ignoring its "unlimited" huge value', () => {
    const limited = files({ '/proc/self/cgroup': '4:memory:/\n', '/sys/fs/cgroup/memory/memory.limit_in_bytes': String(2 * GB) });
    expect(availableMemoryBytes({ readFile: limited, totalmem: () => 16 * GB })).toBe(2 * GB);
    const unlimited = files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712' });
    expect(availableMemoryBytes({ readFile: unlimited, totalmem: () => 16 * GB })).toBe(16 * GB);
  });

  it('uses the machine’s memory where there are no cgroups (macOS)', () => {
    expect(availableMemoryBytes({ readFile: files({}), totalmem: () => 8 * GB })).toBe(8 * GB);
  });

  it('defaults to a quarter of it, never below 128 MB (the benchmarked value) nor above 2048 MB', () => {
    expect(defaultHeapMb(256 * MB)).toBe(MIN_HEAP_MB);
    expect(defaultHeapMb(512 * MB)).toBe(128);
    expect(defaultHeapMb(GB)).toBe(256);
    expect(defaultHeapMb(4 * GB)).toBe(1024);
    expect(defaultHeapMb(3 * GB + 100 * MB)).toBe(784); // a quarter, in steps of 16 MB
    expect(defaultHeapMb(64 * GB)).toBe(MAX_HEAP_MB);
  });

  it('takes SERVER_HEAP_MB as given, and derives the default when it is unset or empty', () => {
    const sources = { readFile: files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': String(GB) }), totalmem: () => 16 * GB };
    expect(serverHeapMb({ SERVER_HEAP_MB: '768' }, sources)).toBe(768);
    expect(serverHeapMb({}, sources)).toBe(256);
    expect(serverHeapMb({ SERVER_HEAP_MB: ' ' }, sources)).toBe(256);
  });

  it.each(['lots', '12.5', '32', '-1'])('refuses SERVER_HEAP_MB=%s with a message naming it', (value) => {
    expect(() => serverHeapMb({ SERVER_HEAP_MB: value })).toThrow(/Invalid environment: SERVER_HEAP_MB/);
  });
});
