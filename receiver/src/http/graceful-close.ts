import type { FastifyInstance } from 'fastify';

const IDLE_SWEEP_MS = 50;

/**
 * Lets `app.close()` finish as soon as the requests in flight are answered.
 *
 * Node closes the connections that are idle when the server starts closing, but a keep-alive
 * connection whose response is still being produced becomes idle only afterwards. Fastify advertises
 * `Keep-Alive: timeout=72` and clients honour it (undici, Okta's HTTP client), so that one connection
 * would hold the close open until SHUTDOWN_TIMEOUT_MS and the process would exit 1 with acknowledged
 * work done. Responses sent while closing therefore carry `Connection: close` (Node ends the socket
 * after them), and connections that become idle otherwise are swept until the server has closed.
 */
export function installGracefulClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    const server = app.server;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
    done();
  });
  // A callback hook, not an async one: it runs on every response, and costs nothing until closing.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
    done(null, payload);
  });
}
