import type { FastifyInstance } from 'fastify';
import { createHttpApp, type Logger, type ServerTls } from '@polku/service-kit';

export interface AppDeps {
  logger: Logger;
  /** Readiness checks by dependency name (PostgreSQL, Kafka). */
  readiness: Record<string, () => Promise<void>>;
  /** HTTPS with a certificate (`serverTls(config)`). @defaultValue plain HTTP */
  tls?: ServerTls | undefined;
}

/** The sealer's HTTP side: health and readiness only (it has no API; `disclosures:verify` reads what it publishes). No listen. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  return createHttpApp({
    logger: deps.logger,
    title: 'Polku disclosure sealer',
    version: '0.1.0',
    description: 'Chains the disclosure log per partition, checks every entry\'s service signature and publishes signed checkpoints. Health and readiness only.',
    readiness: deps.readiness,
    tls: deps.tls,
  });
}
