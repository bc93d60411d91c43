import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Bus } from '@polku/bus';
import type { Catalogue } from '@polku/catalogue';
import { TOPICS } from '@polku/contracts';
import { redisVault } from '@polku/personal-data';
import { createHttpApp, redisApiKeyStore, registerApiKeyAuth, type Logger } from '@polku/service-kit';
import { redisIdempotencyStore } from './idempotency/idempotency-store';
import { registerGetReferral } from './routes/referrals/get-referral';
import { registerSubmitReferral } from './routes/referrals/submit-referral';
import { STATUS_GROUP } from './status/status-projection';
import type { StatusStore } from './status/status-store';

export interface AppDeps {
  logger: Logger;
  redis: Redis;
  bus: Bus;
  catalogue: Catalogue;
  statusStore: StatusStore;
  vaultKey: Buffer;
  pseudonymKey: Buffer;
  /** Base of the `Location` header. */
  publicUrl: string;
  /** @defaultValue TOPICS.referral (tests give a fresh topic) */
  referralTopic?: string;
}

/** The referral API without listening: server.ts listens, tests use `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const topic = deps.referralTopic ?? TOPICS.referral;
  const app = await createHttpApp({
    logger: deps.logger,
    title: 'Polku referral API',
    version: '1.0.0',
    description: 'The one-contact front door: submit a referral once, follow its one status across sectors. Every request needs an API key of an organisation system.',
    readiness: {
      redis: async () => void (await deps.redis.ping()),
      kafka: async () => void (await deps.bus.lag(STATUS_GROUP, [topic])),
    },
  });
  registerApiKeyAuth(app, redisApiKeyStore(deps.redis));
  registerSubmitReferral(app, {
    intake: { vault: redisVault(deps.redis, deps.vaultKey), bus: deps.bus, topic, pseudonymKey: deps.pseudonymKey },
    idempotency: redisIdempotencyStore(deps.redis),
    municipalities: new Set(deps.catalogue.municipalities.map((m) => m.code)),
    publicUrl: deps.publicUrl,
  });
  registerGetReferral(app, deps.statusStore);
  return app;
}
