/** Largest export accepted from the browser (the command line has no limit: it streams from disk). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
