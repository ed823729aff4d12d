/**
 * What the end-to-end server is started with for observability and the Content API
 * (playwright.config.ts `webServer.env`), shared with the specs that check it: the /metrics token,
 * the JSON log file, the one origin allowed to read the Content API from a browser.
 */
export const METRICS_TOKEN = 'e2e-metrics-token-5f1c9a7d2b';
export const CORS_ORIGIN = 'https://allowed.e2e.test';

/** The server's log (set by playwright.config.ts from the output folder). */
export function serverLogFile(): string {
  const file = process.env.E2E_SERVER_LOG;
  if (!file) throw new Error('E2E_SERVER_LOG is not set: run the end-to-end tests through playwright.config.ts.');
  return file;
}

export function serverObserveEnv(logFile: string | undefined): Record<string, string> {
  return {
    METRICS_TOKEN,
    // JSON lines, whatever the terminal: the teardown parses them.
    ...(logFile ? { LOG_FILE: logFile } : {}),
    LOG_LEVEL: 'info',
    CONTENT_API_CORS_ORIGINS: CORS_ORIGIN,
  };
}
