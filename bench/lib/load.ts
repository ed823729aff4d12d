/**
 * One measurement: autocannon against one page for a while, each request's path picked anew (a
 * different article per request, random search words), with a browser's request headers.
 */
import autocannon, { type Result } from 'autocannon';

export type PageTarget = {
  name: string;
  /** A path, or a function that picks one per request. */
  path: string | (() => string);
  /** What the page is, for the table: an example of the paths it requests. */
  example: string;
  headers?: Record<string, string>;
  /** Measures first reads: never requested during the warm-up. */
  cold?: boolean;
};

export type LoadSettings = { connections: number; durationS: number };

export type LoadResult = {
  name: string;
  example: string;
  connections: number;
  durationS: number;
  /** Responses completed within the duration. */
  requests: number;
  /** Requests sent, completed or not. */
  sent: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that were not 2xx, by class; a redirect counts, as it is not the page. */
  non2xx: number;
  status: { '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  /** Connection errors and timeouts (timeouts are included in socketErrors too). */
  socketErrors: number;
  timeouts: number;
  bytesPerResponse: number;
};

/** What a browser sends; compression matters to bytes per response and to the server's work. */
export const BROWSER_HEADERS: Record<string, string> = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'en-GB,en;q=0.9',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) broadsheet-bench',
};

function summarise(target: PageTarget, settings: LoadSettings, result: Result): LoadResult {
  const requests = result.requests.total;
  return {
    name: target.name,
    example: target.example,
    connections: settings.connections,
    durationS: result.duration,
    requests,
    sent: result.requests.sent,
    rps: result.duration > 0 ? Math.round((requests / result.duration) * 10) / 10 : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    status: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    socketErrors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: requests > 0 ? Math.round(result.throughput.total / requests) : 0,
  };
}

/**
 * autocannon keeps every response body as a string (`body += chunk`, pipelinedRequestsQueue.js),
 * decoding compressed bytes as UTF-8 on the client's one thread: a 50 KB brotli feed then measures
 * the client (~1,300 req/s here, with the server ~15% busy) rather than the server. The bench never
 * reads bodies (bytes are still counted from the socket), so its clients skip that.
 */
function discardBodies(client: unknown): void {
  const queue = (client as { pipelinedRequests?: { addBody?: (data: unknown) => void } }).pipelinedRequests;
  if (queue && typeof queue.addBody === 'function') queue.addBody = () => {};
}

/** A response's headers as the client parsed them: names and values in turn. */
export type RawHeaders = readonly string[];

/** The value of header `name` (lower case) in raw headers, or undefined. */
export function rawHeader(headers: RawHeaders, name: string): string | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i].toLowerCase() === name) return headers[i + 1];
  return undefined;
}

/** Called with each completed response's headers and its latency as autocannon measured it. */
export type OnResponse = (headers: RawHeaders, durationMs: number) => void;

type Client = { on(event: string, listener: (...args: never[]) => void): void };

/**
 * Hands `onResponse` each response's headers with its latency. A connection sends one request at a
 * time, so its headers and the response that completes next are the same request's.
 */
function reporting(client: Client, onResponse: OnResponse): void {
  let headers: RawHeaders = [];
  client.on('headers', (opts: { headers?: RawHeaders }) => (headers = opts.headers ?? []));
  client.on('response', (_status: number, _bytes: number, durationMs: number) => onResponse(headers, durationMs));
}

export async function measure(baseUrl: string, target: PageTarget, settings: LoadSettings, onResponse?: OnResponse): Promise<LoadResult> {
  const pick = target.path;
  const setupClient = (client: Client) => {
    discardBodies(client);
    if (onResponse) reporting(client, onResponse);
  };
  const instance = autocannon({
    // Not in @types/autocannon, but a documented option: called with each connection's client.
    ...({ setupClient } as object),
    url: baseUrl,
    connections: settings.connections,
    duration: settings.durationS,
    timeout: 30,
    headers: { ...BROWSER_HEADERS, ...target.headers },
    requests: [typeof pick === 'string' ? { method: 'GET', path: pick } : { method: 'GET', setupRequest: (request) => ({ ...request, path: pick() }) }],
  });
  return summarise(target, settings, await instance);
}

/**
 * Waits until the server answers `path` quickly again. When a measurement stops, the server still
 * works through the requests it had queued; the next page must not pay for the previous one's
 * backlog. Gives up after `timeoutMs` (the next figures will then show it).
 */
export async function settle(baseUrl: string, path: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const started = performance.now();
    try {
      const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      if (performance.now() - started < 250) return;
    } catch {
      return; // the server's own trouble shows in the next measurement
    }
  }
}
