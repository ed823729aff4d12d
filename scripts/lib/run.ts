/** Runs a child process in its own process group and stops the whole group on Ctrl-C or exit. */
import { spawn, type SpawnOptions } from 'node:child_process';

export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', detached: true, ...options });
    const stop = (signal: NodeJS.Signals) => {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      }
    };
    const onSignal = (signal: NodeJS.Signals) => () => stop(signal);
    const handlers = { SIGINT: onSignal('SIGTERM'), SIGTERM: onSignal('SIGTERM'), SIGHUP: onSignal('SIGTERM') };
    for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
    const onExit = () => stop('SIGKILL');
    process.on('exit', onExit);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const [sig, handler] of Object.entries(handlers)) process.off(sig, handler);
      process.off('exit', onExit);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}
