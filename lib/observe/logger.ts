import { createRequire } from 'node:module';
import { format } from 'node:util';
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import type PinoPretty from 'pino-pretty';

/**
 * The server's log (scripts/serve.ts): pino, one JSON object per line in production; readable
 * lines when a person is watching (stdout is a terminal, or not production). `LOG_LEVEL` picks
 * what is written; `LOG_FILE` also appends the JSON lines to a file (the end-to-end tests read it).
 *
 * Never in a log: passwords, tokens, cookies. Request lines carry no headers and no bodies, paths
 * lose their query string and token segments (lib/observe/route-kind.ts `loggablePath`), and the
 * fields below are censored wherever some code passes them in an object anyway.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type { Logger };

export type LoggerOptions = {
  level: LogLevel;
  /** Readable lines instead of JSON (a terminal). */
  pretty: boolean;
  /** Also append JSON lines to this file. */
  file?: string;
  /** Where lines go instead of stdout (tests). */
  destination?: DestinationStream;
};

export const REDACTED_PATHS = [
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.headers["set-cookie"]',
  'passwordHash',
  '*.passwordHash',
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.cookie',
  '*.authorization',
];

/** Fields of a request line, shown by the readable format as `GET /path 200 3.1ms hit`. */
const REQUEST_FIELDS = ['reqId', 'method', 'path', 'status', 'ms', 'cache', 'kind', 'aborted'];

function readable(): DestinationStream {
  // Loaded only when a person reads the output: production JSON never pays for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    sync: true,
    translateTime: 'HH:MM:ss.l',
    ignore: ['pid', 'hostname', ...REQUEST_FIELDS].join(','),
    messageFormat: (log: Record<string, unknown>, messageKey: string) =>
      log.method === undefined
        ? String(log[messageKey] ?? '')
        : `${log.method} ${log.path} ${log.status} ${log.ms}ms${log.cache ? ` ${log.cache}` : ''}${log.aborted ? ' (aborted)' : ''} [${log.reqId}]`,
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const main = options.destination ?? (options.pretty ? readable() : pino.destination({ dest: 1, sync: true }));
  const streams: StreamEntry[] = [{ stream: main, level: options.level === 'silent' ? 'fatal' : options.level }];
  if (options.file) streams.push({ stream: pino.destination({ dest: options.file, mkdir: true, append: true, sync: true }), level: streams[0].level });
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    streams.length === 1 ? main : pino.multistream(streams),
  );
}

/**
 * Sends console output (Next.js's own errors, lib/ code's `[db] …` lines) through the logger, so
 * production writes JSON lines only and an error keeps its stack (`err.stack`).
 */
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

export function routeConsoleTo(logger: Logger): void {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      // Next.js colours some lines (`✓ Ready`): the escapes are noise in a JSON line and in a file.
      const message = format(...args.filter((arg) => arg !== error)).replace(ANSI_ESCAPE, '');
      if (error) logger[level]({ err: error }, message || error.message);
      else logger[level](message);
    };
  console.error = write('error');
  console.warn = write('warn');
  console.log = write('info');
  console.info = write('info');
  console.debug = write('debug');
}
