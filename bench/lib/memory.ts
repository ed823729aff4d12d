/**
 * Resident memory of the servers, sampled from /proc: the sum of VmRSS over every process in each
 * server's process group (workers included), so what the figure measures is what the machine pays.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const RSS_TARGET_MB = 300;

export type MemoryReport = {
  /** Peak of the summed RSS of all server process groups, in MB. */
  peakMb: number | null;
  /** Peak RSS of the largest single process, in MB. */
  peakLargestProcessMb: number | null;
  /** Peak summed RSS per phase (page measured, freshness…), in MB. */
  byPhase: Record<string, number>;
  samples: number;
  intervalMs: number;
  targetMb: number;
};

export type MemorySampler = { phase(name: string): void; stop(): MemoryReport };

/** Process group id of a pid: the 5th field of /proc/<pid>/stat, counted after the parenthesised name. */
function groupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return null;
  }
}

function rssKb(pid: string): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // exited between listing and reading
  }
}

/** Summed and largest RSS (kB) of the processes in the given groups; null where /proc is missing. */
export function groupRss(pgids: readonly number[]): { totalKb: number; largestKb: number } | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const wanted = new Set(pgids);
  let totalKb = 0;
  let largestKb = 0;
  for (const pid of pids) {
    const group = groupOf(pid);
    if (group === null || !wanted.has(group)) continue;
    const kb = rssKb(pid);
    totalKb += kb;
    largestKb = Math.max(largestKb, kb);
  }
  return { totalKb, largestKb };
}

export function sampleMemory(pgids: readonly number[], intervalMs = 250): MemorySampler {
  let peakKb: number | null = null;
  let peakLargestKb: number | null = null;
  let samples = 0;
  let phase = 'startup';
  const byPhase: Record<string, number> = {};
  const take = () => {
    const rss = groupRss(pgids);
    if (!rss) return;
    samples += 1;
    peakKb = Math.max(peakKb ?? 0, rss.totalKb);
    peakLargestKb = Math.max(peakLargestKb ?? 0, rss.largestKb);
    byPhase[phase] = Math.max(byPhase[phase] ?? 0, Math.round(rss.totalKb / 1024));
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  const mb = (kb: number | null) => (kb === null ? null : Math.round(kb / 1024));
  return {
    phase(name) {
      take();
      phase = name;
    },
    stop() {
      take();
      clearInterval(timer);
      return { peakMb: mb(peakKb), peakLargestProcessMb: mb(peakLargestKb), byPhase, samples, intervalMs, targetMb: RSS_TARGET_MB };
    },
  };
}
