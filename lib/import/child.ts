import 'server-only';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { IMPORT_NODE_FLAGS } from './limits';
import type { ImportProgress, ImportReport } from './report';
import { ImportFormatError } from './types';

/**
 * The admin page's import runs in a process of its own (`content:import --json`), not in the
 * server: an export of 10,000 posts peaks at ~420 MB and keeps the cores busy for most of a minute
 * (lib/import/work.ts), and the server runs with a 128 MB old space (scripts/lib/serve-command.ts)
 * and must go on serving readers meanwhile. Progress and the report come back as JSON lines on its
 * standard output.
 */
export function importInChild(args: string[], onProgress?: (progress: ImportProgress) => void): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...IMPORT_NODE_FLAGS, '--conditions=react-server', '--import', 'tsx', path.join(process.cwd(), 'scripts/content-import.ts'), '--json', ...args],
      { cwd: process.cwd(), env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let report: ImportReport | null = null;
    let refusal: string | null = null;
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { progress?: ImportProgress; report?: ImportReport; error?: string };
      try {
        message = JSON.parse(line);
      } catch {
        return; // a log line, not ours
      }
      if (message.progress) onProgress?.(message.progress);
      else if (message.report) report = message.report;
      else if (message.error) refusal = message.error;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (report && code === 0) resolve(report);
      else if (refusal) reject(new ImportFormatError(refusal));
      else reject(new Error(`the import process ended with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
