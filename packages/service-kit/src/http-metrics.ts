import type { FastifyInstance } from 'fastify';
import { METRICS_CONTENT_TYPE, metricsText, observeHttpRequest } from '@polku/telemetry';

/** Route label of a request that matched no route: raw URLs (with ids in them) never become labels. */
const UNMATCHED = 'unmatched';

/**
 * Counts every answer by route pattern, method and status, and serves `GET /metrics` (Prometheus
 * text) without a key or client certificate, like `/health`: it holds codes and counts only, no
 * personal data, and scrapers carry no API keys (docs/metrics.md).
 */
export function registerHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    observeHttpRequest({ method: request.method, route: request.routeOptions.url ?? UNMATCHED, status: reply.statusCode, seconds: reply.elapsedTime / 1000 });
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(METRICS_CONTENT_TYPE).send(await metricsText());
  });
}
