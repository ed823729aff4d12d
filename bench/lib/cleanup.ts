/**
 * Whatever a run started (servers, the embedded database's registration) is undone on every way
 * out: normal end, failure, Ctrl-C, SIGTERM. Steps run newest first, each at most once.
 */
type Step = { name: string; run: () => Promise<void> | void; sync?: () => void };

const steps: Step[] = [];
let running: Promise<void> | null = null;

/** Registers an undo step; `sync` is a last resort for `process.on('exit')`, where nothing async runs. */
export function onCleanup(name: string, run: () => Promise<void> | void, sync?: () => void): () => void {
  const step: Step = { name, run, sync };
  steps.push(step);
  return () => {
    const index = steps.indexOf(step);
    if (index >= 0) steps.splice(index, 1);
  };
}

export function cleanup(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`[bench] cleanup "${step.name}" failed: ${(error as Error).message}`);
      }
    }
  })();
  return running;
}

let installed = false;

/** Ctrl-C and friends: clean up, then exit with the conventional code. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    console.error(`\n[bench] ${signal}: stopping what this run started`);
    void cleanup().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));
  process.on('exit', () => {
    for (const step of steps) {
      try {
        step.sync?.();
      } catch {
        // Already gone.
      }
    }
  });
}
