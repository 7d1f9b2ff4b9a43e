import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { TokenVerifier } from '../auth/tokens';
import { sha256Hex, tokenFromHeader } from '../auth/tokens';

export interface OperationsRoutesOptions {
  /** Resolves when the database answers (the store's ping). */
  readonly ready: () => Promise<unknown>;
  readonly registry: Registry;
  /** METRICS_TOKEN_SHA256: dedicated metrics tokens; any SCIM token is accepted too. */
  readonly metricsTokenHashes: readonly string[];
  readonly scimVerifier: TokenVerifier;
}

/** `/healthz`, `/readyz` and `/metrics`: what orchestrators and Prometheus call. */
export async function operationsRoutes(app: FastifyInstance, options: OperationsRoutesOptions): Promise<void> {
  // Probes carry no data and must work without credentials (orchestrators call them).
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await options.ready();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', detail: 'database unreachable' });
    }
  });

  const metricsDigests = options.metricsTokenHashes.map((h) => Buffer.from(h, 'hex'));
  app.get('/metrics', async (request, reply) => {
    // A dedicated metrics token, or any SCIM token.
    const token = tokenFromHeader(request.headers.authorization);
    const digest = token ? Buffer.from(sha256Hex(token), 'hex') : undefined;
    const allowed =
      digest !== undefined &&
      (metricsDigests.some((d) => timingSafeEqual(d, digest)) || options.scimVerifier.verify(request.headers.authorization) !== undefined);
    if (!allowed) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ status: 401, detail: 'Authentication required.' });
    }
    return reply.header('content-type', options.registry.contentType).send(await options.registry.metrics());
  });
}
