/** Largest export accepted from the browser (the command line has no limit: it streams from disk). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/**
 * Node flags of every process that runs an import (`npm run content:import` in package.json, the
 * admin page's child in ./child.ts, the bench). V8 lets the old space grow to 1.5× what was live
 * after a collection instead of its default of up to 4×: the 10,000-post bench holds ~50 MB live,
 * and its peak RSS was 573 MB without this, 410 MB with it, for the same time within the noise.
 * Not a cap: a larger export's heap grows with it.
 */
export const IMPORT_NODE_FLAGS = ['--heap-growing-percent=50'];
