import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { cacheOutcomeOf } from './outcome';
import { requestIdFrom } from './request-id';
import { loggablePath, pathOf, routeKind } from './route-kind';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Content types of a response Next.js renders (a page, or its flight data for a navigation). */
const RENDERED = /^text\/(html|x-component)/;

/**
 * Wraps the server's request listener (scripts/serve.ts): gives each request its id (the
 * `X-Request-Id` response header), and when the response is done (or the reader went away) writes
 * one log line — id, method, path without query or tokens, status, duration, cache outcome — and
 * records the request in the metrics. Nothing from headers or bodies is logged.
 */
export function observeRequests(logger: Logger, metrics: Metrics, listener: Listener): Listener {
  return (req, res) => {
    const started = performance.now();
    const reqId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', reqId);
    // Normalized on the request too: whatever logs an error for it (lib/server/respond.ts) names the same id.
    req.headers['x-request-id'] = reqId;
    const method = req.method ?? 'GET';
    const path = pathOf(req.url);
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.statusCode;
      const kind = routeKind(path);
      const cache = cacheOutcomeOf(res);
      metrics.request(kind, status, seconds);
      if (cache === 'replay' || cache === 'collapsed') metrics.cacheLookup('replay');
      // A cached page's render is counted where it is stored (the page cache's onStore, scripts/serve.ts):
      // once, however many requests waited for it. Here: pages rendered for one request (search, the editor).
      else if (cache === undefined && RENDERED.test(String(res.getHeader('content-type') ?? ''))) metrics.render(kind);
      const line = {
        reqId,
        method,
        path: loggablePath(path),
        status,
        ms: Math.round(seconds * 10_000) / 10,
        cache,
        kind,
        aborted: res.writableFinished ? undefined : true,
      };
      if (status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    listener(req, res);
  };
}
