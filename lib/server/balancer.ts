import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small round-robin HTTP proxy for trying several instances on one machine (`npm run cluster`):
 * each request goes to the next instance; one that refuses the connection is skipped for that
 * request (the next one answers), so stopping an instance loses no request. Not a production load
 * balancer: no health checks, no TLS, no websockets.
 */
export function createBalancer(targets: { host: string; port: number }[], { publicProto = 'http' } = {}): Server {
  let next = 0;
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, attempt: number): void => {
    const target = targets[(next = (next + 1) % targets.length)];
    const client = req.socket.remoteAddress ?? '';
    const forwardedFor = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${client}` : client;
    const upstream = request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': publicProto, 'x-forwarded-host': req.headers.host ?? '' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (!res.headersSent && error.code === 'ECONNREFUSED' && attempt + 1 < targets.length) {
        forward(req, res, body, attempt + 1);
        return;
      }
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('No instance answered.');
    });
    upstream.end(body);
  };
  return createServer((req, res) => {
    // The body is read first so that a refused connection can be retried on the next instance.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 0));
  });
}
