import { consentBody, learningSupportReferral } from '../fixtures';

/** What the probes share: the resources the table's rows are about, made once before the probes run. */
export interface ProbeContext {
  /** A child-welfare notification submitted by the `submitter-own` key and routed to ksh-child-welfare-jyvaskyla. */
  referralId: string;
  /** The Idempotency-Key that referral was submitted with, and its routed event (the console's probes). */
  idempotencyKey: string;
  routedEventId: string;
  /** The child of that referral. */
  identityCode: string;
  subjectRef: string;
  /** A consent about the child recorded by the `submitter-own` key, naming the own service. */
  consentId: string;
  /** A fresh consent like `consentId`, for probes that change it (a withdrawal). */
  freshConsent(): Promise<string>;
  /** The id of a fresh throwaway key, for probes that revoke or rotate one. */
  freshKeyId(): Promise<string>;
  /** Personal values the probes sent, for the scan of the logs. */
  personalValues: string[];
}

/** A dead-letter position and a bulk replay id that exist nowhere: the console's action probes change nothing. */
const NO_DEAD_LETTER = 'polku.referral.events.v1.dlq/0/999999999';
const NO_BULK_REPLAY = '00000000-0000-4000-8000-000000000000';

/** One request: where, and what it carries (the caller's key and assertion are added by the test). */
export interface ProbeRequest {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The answer is a stream that does not end (server-sent events): its status and headers are the answer. */
  stream?: true;
}

export type Probe = (ctx: ProbeContext) => ProbeRequest | Promise<ProbeRequest>;

const OWN_SERVICE = { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-child-welfare-jyvaskyla' };

function referralBody(ctx: ProbeContext) {
  const fixture = learningSupportReferral();
  ctx.personalValues.push(...fixture.personalValues);
  return fixture.body;
}

/**
 * The request that probes each row of table.ts, by the row's key (`<service> <METHOD> <path>`);
 * each is sent once per caller column. The method is the row's.
 */
export const PROBES: Record<string, Probe> = {
  'referral-api GET /health/live': () => ({ path: '/health/live' }),
  'referral-api GET /health/ready': () => ({ path: '/health/ready' }),
  'referral-api GET /docs/json': () => ({ path: '/docs/json' }),
  'referral-api GET /metrics': () => ({ path: '/metrics' }),
  'referral-api POST /v1/referrals': (ctx) => ({ path: '/v1/referrals', body: referralBody(ctx) }),
  'referral-api GET /v1/referrals/{id}': (ctx) => ({ path: `/v1/referrals/${ctx.referralId}` }),
  'referral-api GET /v1/referrals/{id}/details': (ctx) => ({ path: `/v1/referrals/${ctx.referralId}/details` }),
  'referral-api GET /v1/subjects/{ref}/disclosures': (ctx) => ({ path: `/v1/subjects/${ctx.subjectRef}/disclosures` }),
  'referral-api POST /v1/subjects/disclosures/lookup': (ctx) => ({ path: '/v1/subjects/disclosures/lookup', body: { identityCode: ctx.identityCode } }),
  'referral-api GET /v1/me/access-export': () => ({ path: '/v1/me/access-export' }),
  'referral-api GET /v1/keys': () => ({ path: '/v1/keys' }),
  'referral-api POST /v1/keys': () => ({ path: '/v1/keys', body: { organisationId: 'laukaa-education', systemId: 'access-probe', roles: ['submitter'], reason: 'access table probe' } }),
  'referral-api POST /v1/keys/{id}/revoke': async (ctx) => ({ path: `/v1/keys/${await ctx.freshKeyId()}/revoke`, body: { reason: 'access table probe' } }),
  'referral-api POST /v1/keys/{id}/rotate': async (ctx) => ({ path: `/v1/keys/${await ctx.freshKeyId()}/rotate`, body: { reason: 'access table probe' } }),

  'disclosure-sealer GET /health/live': () => ({ path: '/health/live' }),
  'disclosure-sealer GET /health/ready': () => ({ path: '/health/ready' }),
  'disclosure-sealer GET /docs/json': () => ({ path: '/docs/json' }),
  'disclosure-sealer GET /metrics': () => ({ path: '/metrics' }),

  'router GET /health/live': () => ({ path: '/health/live' }),
  'router GET /health/ready': () => ({ path: '/health/ready' }),
  'router GET /docs/json': () => ({ path: '/docs/json' }),
  'router GET /metrics': () => ({ path: '/metrics' }),
  'router GET /v1/referrals/{id}/timers': (ctx) => ({ path: `/v1/referrals/${ctx.referralId}/timers` }),

  'consent GET /health/live': () => ({ path: '/health/live' }),
  'consent GET /health/ready': () => ({ path: '/health/ready' }),
  'consent GET /docs/json': () => ({ path: '/docs/json' }),
  'consent GET /metrics': () => ({ path: '/metrics' }),
  'consent POST /v1/consents': (ctx) => ({ path: '/v1/consents', body: consentBody(ctx.identityCode, { recipients: [OWN_SERVICE] }) }),
  'consent POST /v1/bans': (ctx) => ({ path: '/v1/bans', body: consentBody(ctx.identityCode, { recipients: [{ sector: 'ngo' }] }) }),
  'consent POST /v1/consents/{id}/withdraw': async (ctx) => ({ path: `/v1/consents/${await ctx.freshConsent()}/withdraw` }),
  'consent GET /v1/consents/{id}': (ctx) => ({ path: `/v1/consents/${ctx.consentId}` }),
  'consent GET /v1/subjects/{subjectRef}/consents': (ctx) => ({ path: `/v1/subjects/${ctx.subjectRef}/consents` }),
  'consent POST /v1/subjects/consents/lookup': (ctx) => ({ path: '/v1/subjects/consents/lookup', body: { identityCode: ctx.identityCode } }),
  'consent POST /v1/decisions': (ctx) => ({
    path: '/v1/decisions',
    body: { subjectRef: ctx.subjectRef, recipient: OWN_SERVICE, dataCategories: ['contact'], purpose: 'service-provision' },
  }),

  'console GET /health/live': () => ({ path: '/health/live' }),
  'console GET /health/ready': () => ({ path: '/health/ready' }),
  'console GET /docs/json': () => ({ path: '/docs/json' }),
  'console GET /metrics': () => ({ path: '/metrics' }),
  'console GET /v1/traces/referrals/{referralId}': (ctx) => ({ path: `/v1/traces/referrals/${ctx.referralId}` }),
  'console GET /v1/traces/events/{eventId}': (ctx) => ({ path: `/v1/traces/events/${ctx.routedEventId}` }),
  'console GET /v1/traces/deliveries/{deliveryId}': () => ({ path: '/v1/traces/deliveries/00000000-0000-4000-8000-000000000000' }),
  'console GET /v1/traces/idempotency-keys/{key}': (ctx) => ({ path: `/v1/traces/idempotency-keys/${ctx.idempotencyKey}` }),
  'console GET /v1/lag': () => ({ path: '/v1/lag' }),
  'console GET /v1/queues': () => ({ path: '/v1/queues' }),
  'console GET /v1/alerts': () => ({ path: '/v1/alerts' }),
  'console GET /v1/operator-actions': () => ({ path: '/v1/operator-actions' }),
  'console GET /v1/dead-letters': () => ({ path: '/v1/dead-letters' }),
  'console GET /v1/dead-letters/{topic}/{partition}/{offset}': () => ({ path: `/v1/dead-letters/${NO_DEAD_LETTER}` }),
  'console POST /v1/dead-letters/{topic}/{partition}/{offset}/replay': () => ({ path: `/v1/dead-letters/${NO_DEAD_LETTER}/replay`, body: { reason: 'drill' } }),
  'console POST /v1/dead-letters/{topic}/{partition}/{offset}/park': () => ({ path: `/v1/dead-letters/${NO_DEAD_LETTER}/park`, body: { reason: 'drill' } }),
  'console POST /v1/dead-letters/bulk-replays/dry-run': () => ({ path: '/v1/dead-letters/bulk-replays/dry-run', body: { topic: 'polku.consent.events.v1.dlq' } }),
  'console POST /v1/dead-letters/bulk-replays': () => ({ path: '/v1/dead-letters/bulk-replays', body: { topic: 'polku.consent.events.v1.dlq', expectedCount: 999_999, reason: 'drill' } }),
  'console GET /v1/dead-letters/bulk-replays': () => ({ path: '/v1/dead-letters/bulk-replays' }),
  'console GET /v1/dead-letters/bulk-replays/{id}': () => ({ path: `/v1/dead-letters/bulk-replays/${NO_BULK_REPLAY}` }),
  'console POST /v1/dead-letters/bulk-replays/{id}/cancel': () => ({ path: `/v1/dead-letters/bulk-replays/${NO_BULK_REPLAY}/cancel`, body: { reason: 'drill' } }),
  'console GET /ui/': () => ({ path: '/ui/' }),
  'console GET /ui/sign-in': () => ({ path: '/ui/sign-in' }),
  'console GET /ui/sign-in/start': () => ({ path: '/ui/sign-in/start' }),
  'console GET /ui/callback': () => ({ path: '/ui/callback?code=not-a-code&state=not-a-state' }),
  'console POST /ui/sign-out': () => ({ path: '/ui/sign-out' }),
  'console GET /ui/signed-out': () => ({ path: '/ui/signed-out' }),
  'console GET /ui/language/{language}': () => ({ path: '/ui/language/en?return=%2Fui%2F' }),
  'console GET /ui/static/htmx.min.js': () => ({ path: '/ui/static/htmx.min.js' }),
  'console GET /ui/static/console.css': () => ({ path: '/ui/static/console.css' }),
  'console GET /ui/static/sse.js': () => ({ path: '/ui/static/sse.js' }),
  'console GET /ui/overview/stream': () => ({ path: '/ui/overview/stream', stream: true }),
  'console GET /ui/trace': () => ({ path: '/ui/trace' }),
  'console GET /ui/referrals/{referralId}': (c) => ({ path: `/ui/referrals/${c.referralId}` }),
  'console GET /ui/dead-letters': () => ({ path: '/ui/dead-letters' }),
  'console GET /ui/dead-letters/{topic}/{partition}/{offset}': () => ({ path: `/ui/dead-letters/${NO_DEAD_LETTER}` }),
  'console POST /ui/dead-letters/{topic}/{partition}/{offset}/replay': () => ({ path: `/ui/dead-letters/${NO_DEAD_LETTER}/replay`, body: { reason: 'drill' } }),
  'console POST /ui/dead-letters/{topic}/{partition}/{offset}/park': () => ({ path: `/ui/dead-letters/${NO_DEAD_LETTER}/park`, body: { reason: 'drill' } }),
  'console GET /ui/dead-letters/bulk': () => ({ path: '/ui/dead-letters/bulk' }),
  'console POST /ui/dead-letters/bulk/dry-run': () => ({ path: '/ui/dead-letters/bulk/dry-run', body: { topic: 'polku.consent.events.v1' } }),
  'console POST /ui/dead-letters/bulk': () => ({ path: '/ui/dead-letters/bulk', body: { topic: 'polku.consent.events.v1', expectedCount: '999999', reason: 'drill' } }),
  'console GET /ui/dead-letters/bulk/{id}': () => ({ path: `/ui/dead-letters/bulk/${NO_BULK_REPLAY}` }),
  'console GET /ui/dead-letters/bulk/{id}/progress': () => ({ path: `/ui/dead-letters/bulk/${NO_BULK_REPLAY}/progress` }),
  'console POST /ui/dead-letters/bulk/{id}/cancel': () => ({ path: `/ui/dead-letters/bulk/${NO_BULK_REPLAY}/cancel`, body: { reason: 'drill' } }),
  'console GET /ui/lag': () => ({ path: '/ui/lag' }),
  'console GET /ui/queues': () => ({ path: '/ui/queues' }),
  'console GET /ui/alerts': () => ({ path: '/ui/alerts' }),
  'console GET /ui/audit': () => ({ path: '/ui/audit' }),

  'adapter-host GET /health/live': () => ({ path: '/health/live' }),
  'adapter-host GET /health/ready': () => ({ path: '/health/ready' }),
  'adapter-host GET /docs/json': () => ({ path: '/docs/json' }),
  'adapter-host GET /metrics': () => ({ path: '/metrics' }),
  // Unsigned, with a body of the system's shape: the signature is checked before anything else.
  'adapter-host POST /v1/adapters/education.school/callbacks': (ctx) => ({ path: '/v1/adapters/education.school/callbacks', body: { referralId: ctx.referralId } }),
  'adapter-host POST /v1/adapters/ngo.webhook/callbacks': (ctx) => ({ path: '/v1/adapters/ngo.webhook/callbacks', body: { referralId: ctx.referralId } }),
};
