import { disclosureLog } from '@polku/disclosure-log';
import type { FastifyInstance } from 'fastify';
import type { Bus } from '@polku/bus';
import type { Catalogue } from '@polku/catalogue';
import { TOPICS } from '@polku/contracts';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { Database } from '@polku/db';
import type { Vault } from '@polku/personal-data';
import { createHttpApp, sqlApiKeyStore, registerApiKeyAuth, type AuthOptions, type Logger, type ServerTls, type SigningKey } from '@polku/service-kit';
import { registerAccessExport } from './routes/me/access-export';
import type { ConsentReader } from './routes/me/consent-reader';
import { sqlDisclosureStore } from './disclosure/disclosure-store';
import { registerGetDetails } from './routes/referrals/get-details';
import { registerGetReferral } from './routes/referrals/get-referral';
import { registerSubmitReferral } from './routes/referrals/submit-referral';
import { registerDisclosureLog } from './routes/subjects/disclosure-log';
import { createOperatorAudit } from '@polku/operator-audit';
import { registerKeys } from './routes/keys/register-keys';
import { sqlStatusStore } from './status/status-store';

export interface AppDeps {
  /** How callers are authenticated beyond the key: failed-authentication limit, person assertions (server.ts from config). */
  auth?: AuthOptions;
  logger: Logger;
  /** HTTPS, and mTLS with a client CA (`serverTls(config)`). @defaultValue plain HTTP */
  tls?: ServerTls | undefined;
  /** API keys, idempotency records, the vault, the outbox and the status and disclosure-log projections. */
  db: Database;
  vault: Vault;
  /** Readiness, and the operator audit a key revocation is written to before it runs; nothing else waits on Kafka. */
  bus: Bus;
  /** @defaultValue TOPICS.operatorAction (tests give a fresh topic) */
  operatorAuditTopic?: string;
  catalogue: Catalogue;
  pseudonymKey: Buffer;
  /** The consent service's decisions (httpConsentDecider in server.ts), asked on every details fetch. */
  consent: ConsentDecider;
  /** Base of the `Location` header. */
  publicUrl: string;
  /** @defaultValue TOPICS.referral (tests give a fresh topic) */
  referralTopic?: string;
  /** @defaultValue TOPICS.disclosure (tests give a fresh topic) */
  disclosureTopic?: string;
  /** This service's key for the disclosure-log entries it writes (POLKU_DISCLOSURE_SIGNING_KEY). @defaultValue none: entries go unsigned (some unit tests) */
  disclosureSigningKey?: SigningKey;
  /** The consent service's list of a subject's consents, for the access export. @defaultValue says it is unavailable */
  consentReader?: ConsentReader;
  /** Fault injection for crash tests (POLKU_FAULT_CRASH_AFTER_INTAKE_COMMIT): runs between commit and answer. */
  afterIntakeCommit?: () => void;
}

/** The referral API without listening: server.ts listens, tests use `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const topic = deps.referralTopic ?? TOPICS.referral;
  const app = await createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    title: 'Polku referral API',
    version: '1.0.0',
    description: 'The one-contact front door: submit a referral once, follow its one status across sectors, fetch its details by claim check as far as consent or statute allows, and ask the disclosure log who received a person\'s data. Every request needs an API key of an organisation system.',
    readiness: {
      postgres: async () => void (await deps.db.query('SELECT 1')),
      kafka: () => deps.bus.ping(),
    },
  });
  const keys = sqlApiKeyStore(deps.db);
  registerApiKeyAuth(app, keys, deps.auth);
  registerSubmitReferral(app, {
    intake: { db: deps.db, vault: deps.vault, topic, pseudonymKey: deps.pseudonymKey },
    municipalities: new Set(deps.catalogue.municipalities.map((m) => m.code)),
    publicUrl: deps.publicUrl,
    ...(deps.afterIntakeCommit ? { afterCommit: deps.afterIntakeCommit } : {}),
  });
  const statusStore = sqlStatusStore(deps.db);
  registerGetReferral(app, statusStore);
  registerGetDetails(app, {
    statusStore, vault: deps.vault, consent: deps.consent, db: deps.db,
    disclosureLog: disclosureLog({
      topic: deps.disclosureTopic ?? TOPICS.disclosure, writer: 'referral-api',
      ...(deps.disclosureSigningKey ? { signingKey: deps.disclosureSigningKey } : {}),
    }),
    pseudonymKey: deps.pseudonymKey,
  });
  registerDisclosureLog(app, { store: sqlDisclosureStore(deps.db), pseudonymKey: deps.pseudonymKey });
  registerAccessExport(app, {
    db: deps.db, disclosures: sqlDisclosureStore(deps.db), pseudonymKey: deps.pseudonymKey,
    consents: deps.consentReader ?? (async () => ({ available: false, code: 'CONSENT_UNAVAILABLE' })),
  });
  registerKeys(app, keys, createOperatorAudit({ bus: deps.bus, logger: deps.logger, service: 'referral-api', ...(deps.operatorAuditTopic ? { topic: deps.operatorAuditTopic } : {}) }));
  return app;
}
