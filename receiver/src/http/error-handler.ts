import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '../auth/tokens';
import { errorBody } from '../scim/errors';
import { faultOf, urlFault } from './classify';
import { SCIM_CONTENT_TYPE, sendScim } from './reply';

/** Every error under /scim (and outside any plugin) as an RFC 7644 body; classify.ts decides what it means. */
export function installErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const fault = faultOf(error, request, { bodyLimitBytes: bodyLimit });
    if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
    return sendScim(reply, fault.status, errorBody(fault.status, fault.detail, fault.scimType));
  });
}

interface FrameworkVerifiers {
  readonly scim: TokenVerifier;
  readonly admin?: TokenVerifier;
}

/**
 * Fastify's own refusals of a URL (bad percent-encoding or raw non-ASCII bytes: FST_ERR_BAD_URL; a path
 * parameter over maxParamLength: FST_ERR_MAX_PARAM_LENGTH) as RFC 7644 bodies. They happen before any
 * route hook, so authentication is checked here: without a valid credential the answer is the same 401
 * as for any other request, and reveals nothing about which routes exist.
 */
export function scimFrameworkErrors(verifiers: FrameworkVerifiers) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const path = request.raw.url ?? '';
    const guard = path.startsWith('/scim/') ? verifiers.scim : path.startsWith('/api/') ? verifiers.admin : undefined;
    if (guard && !guard.verify(request.headers.authorization)) {
      reply.header('www-authenticate', `Bearer realm="${guard === verifiers.scim ? 'scim' : 'admin'}"`);
      void sendScim(reply, 401, errorBody(401, 'Authentication failed: a valid bearer token is required.'));
      return;
    }
    request.log.info({ code: error.code }, 'refused URL');
    const fault = urlFault(error);
    void sendScim(reply, fault.status, errorBody(fault.status, fault.detail, fault.scimType));
  };
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line or headers are too large.'],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'The request URL is too long.'],
};

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over 16 KiB, malformed request
 * lines): an RFC 7644 body on a closing connection instead of Fastify's own JSON.
 */
export function scimClientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const [status, reason, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify(errorBody(status, detail, status === 400 ? 'invalidSyntax' : undefined));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** How much of a refused request body is still read (and discarded) so the client can read the answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Protocol-level refusals that Fastify's hooks can answer: an unsupported `Expect` (417), a compressed
 * request body (415), and after any error answered before the body was read (413 above all), a graceful
 * close: the rest of the body is read and discarded (bounded) and the connection closed after the
 * answer (RFC 9112 §9.6), so the client reads the 413 instead of failing with EPIPE.
 */
export function installProtocolErrorHandlers(app: FastifyInstance): void {
  app.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(errorBody(417, `Expect: ${String(req.headers.expect)} is not supported; only 100-continue is.`));
    res.writeHead(417, { 'content-type': SCIM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
    req.resume();
  });

  app.addHook('onRequest', async (request, reply) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return sendScim(reply, 415, errorBody(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported; send the body uncompressed.`));
    }
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const raw = request.raw;
    if (reply.statusCode >= 400 && !raw.complete && (raw.headers['content-length'] !== undefined || raw.headers['transfer-encoding'] !== undefined)) {
      // Fastify asks for `Connection: close` after a refused body, and Node then closes the socket as soon
      // as the answer is written, while the client is still sending: it gets EPIPE, never the 413. Instead
      // the rest of the body is read and discarded (the connection stays framed by Content-Length), within
      // bounds; past them the socket is closed.
      reply.removeHeader('connection');
      let drained = 0;
      const stop = () => {
        clearTimeout(timer);
        raw.removeListener('data', count);
        if (!raw.complete) raw.socket?.destroy();
      };
      const count = (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > DRAIN_LIMIT_BYTES) stop();
      };
      const timer = setTimeout(stop, DRAIN_TIMEOUT_MS);
      timer.unref();
      raw.on('data', count);
      raw.once('end', () => {
        clearTimeout(timer);
        raw.removeListener('data', count);
      });
      raw.resume();
    }
    return payload;
  });
}
