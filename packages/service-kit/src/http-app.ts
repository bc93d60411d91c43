import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import { withDeadline } from './deadline';
import { registerHttpMetrics } from './http-metrics';
import { tracedChildLogger, traceRequests } from './http-tracing';
import { registerProblemHandling } from './problem';
import { httpsOptions, requireClientCertificates, type ServerTls } from './server-tls';

export interface HttpAppOptions {
  logger: Logger;
  /** Title and version of the OpenAPI document served at `/docs`. */
  title: string;
  version: string;
  description?: string;
  /** Readiness checks: each resolves when its dependency answers, or throws. Each gets `readinessDeadlineMs`. */
  readiness?: Record<string, () => Promise<void>>;
  /** How long a readiness check may take before its dependency counts as down. @defaultValue 1500 */
  readinessDeadlineMs?: number;
  /** @defaultValue 1 MiB */
  bodyLimit?: number;
  /**
   * Serve HTTPS, and with `clientCa` require client certificates on every route but health and
   * docs (`serverTls(config)` from POLKU_TLS_*). @defaultValue plain HTTP
   */
  tls?: ServerTls | undefined;
}

/**
 * The one way a Polku service builds its Fastify app: our pino logger, request bodies
 * checked with every failing field reported (nothing silently removed or coerced),
 * problem+json errors, OpenAPI at `/docs`, `/health/live` + `/health/ready`, and Prometheus `/metrics`.
 * Register routes on the returned app; `server.ts` listens.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.tls ? { https: httpsOptions(options.tls) } : {}),
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: tracedChildLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false } },
  });
  // First: whatever a request meets later (a refused certificate included) is logged in its trace.
  traceRequests(app);
  endKeepAliveWhenClosing(app);
  registerProblemHandling(app);
  // Before any other hook (the API key's included): a call without a trusted certificate learns nothing else.
  if (options.tls?.clientCa) requireClientCertificates(app, isPublicRoute);
  await app.register(swagger, {
    openapi: {
      info: { title: options.title, version: options.version, description: options.description ?? '' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerHealth(app, options.readiness ?? {}, options.readinessDeadlineMs ?? 1500);
  registerHttpMetrics(app);
  return app;
}

/** Health, metrics and docs: reachable without an API key or a client certificate. */
export function isPublicRoute(url: string, config: unknown): boolean {
  return (config as { public?: boolean } | undefined)?.public === true || url.startsWith('/docs');
}

/**
 * On close, Node ends the keep-alive connections that are idle; one busy with a request at that
 * moment stays open after its answer until the client lets it go (up to the 72 s keep-alive
 * timeout), and `app.close()` waits for it: a service stopped while the adapter host or any
 * client was mid-request used up its whole grace period. An answer given while closing says
 * `Connection: close`, so its connection ends with it: in-flight requests finish, then the
 * process exits. (Not `forceCloseConnections: true`, which would cut those requests off.)
 */
function endKeepAliveWhenClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}

/**
 * `/health/ready` answers at once with each dependency's state: every check runs at the same time
 * under its own short deadline, so a frozen broker or database reads as `down`, never as a hang.
 */
function registerHealth(app: FastifyInstance, checks: Record<string, () => Promise<void>>, deadlineMs: number): void {
  const hidden = { public: true };
  app.get('/health/live', { config: hidden, schema: { hide: true } }, async () => ({ status: 'up' }));
  app.get('/health/ready', { config: hidden, schema: { hide: true } }, async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withDeadline(check(), deadlineMs, name);
          return [name, 'up'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'up');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'up' : 'down', checks: Object.fromEntries(results) });
  });
}
