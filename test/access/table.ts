/**
 * The route × caller access table: the one source of docs/access.md (render.ts writes it) and of
 * the expectations test/access-table.test.ts pins with a real request per cell.
 *
 * A cell is what the caller gets: `200`, `202`, `201`, or `<status> <code>` for a refusal
 * (`401 NOT_AUTHENTICATED`, `403 NOT_FOR_YOUR_SERVICE`, …). Adding a route: one `row(...)` here
 * and one probe with the same key in probes.ts.
 */

/** Who calls, and how they stand to the resource of the row (the row's `own` says what own is). */
export const CALLERS = {
  'no-key': 'No key',
  'expired-key': 'Expired key (otherwise a recipient key of the own service)',
  'revoked-key': 'Revoked key (otherwise a recipient key of the own service)',
  'submitter-own': 'Submitter, own organisation',
  'submitter-other-org': 'Submitter, other organisation',
  'recipient-own-service': 'Recipient, own service',
  'recipient-sibling-service': 'Recipient, other service of the same organisation',
  'recipient-other-org': 'Recipient, other organisation',
  operator: 'Operator',
  auditor: 'Auditor',
  resident: 'Resident e-service, with a signed assertion of a person who is not the subject (nor their guardian)',
  backbone: 'Backbone service key',
  'operator-session': 'Operator signed in to the console\'s pages (a session cookie, no key)',
  'auditor-session': 'Auditor signed in to the console\'s pages (a session cookie, no key)',
} as const;

export type CallerId = keyof typeof CALLERS;
export const CALLER_IDS = Object.keys(CALLERS) as CallerId[];

/** The services of the backbone whose routes the table covers (the launcher's names; stand-ins are not ours). */
export type BackboneService = 'referralApi' | 'router' | 'consent' | 'adapterHost' | 'disclosureSealer' | 'console';
export const SERVICE_LABELS: Record<BackboneService, string> = {
  referralApi: 'referral-api', router: 'router', consent: 'consent', adapterHost: 'adapter-host', disclosureSealer: 'disclosure-sealer', console: 'console',
};

export type Cell = string;

export interface Row {
  service: BackboneService;
  /** `METHOD /path` as the service's OpenAPI document names it (`{id}` for a parameter). */
  route: string;
  /** Public rows need no key: health, readiness, metrics, the OpenAPI document, signed callbacks. */
  public?: true;
  /** What "own" means for this row's resource. */
  own: string;
  cells: Record<CallerId, Cell>;
  note?: string;
}

export function rowKey(row: Pick<Row, 'service' | 'route'>): string {
  return `${SERVICE_LABELS[row.service]} ${row.route}`;
}

// A session of the console's pages is no key: the API routes answer it as a caller without one.
const UNAUTHENTICATED = {
  'no-key': '401 NOT_AUTHENTICATED', 'expired-key': '401 KEY_EXPIRED', 'revoked-key': '401 KEY_REVOKED',
  'operator-session': '401 NOT_AUTHENTICATED', 'auditor-session': '401 NOT_AUTHENTICATED',
} as const;
/** Every service trusts the resident e-service; its key with an assertion has the role `resident` and nothing more. */
const RESIDENT_WITH_ASSERTION = '403 FORBIDDEN';
const SUBMITTERS = ['submitter-own', 'submitter-other-org'] as const;
const RECIPIENTS = ['recipient-own-service', 'recipient-sibling-service', 'recipient-other-org'] as const;

/** A keyed route: every caller not named gets `otherwise` (after the key checks every keyed route shares). */
function keyed(service: BackboneService, route: string, own: string, cells: Partial<Record<CallerId, Cell>>, otherwise: Cell = '403 FORBIDDEN', note?: string): Row {
  const all = Object.fromEntries(CALLER_IDS.map((id) => [id, otherwise])) as Record<CallerId, Cell>;
  return { service, route, own, cells: { ...all, resident: RESIDENT_WITH_ASSERTION, ...cells, ...UNAUTHENTICATED }, ...(note ? { note } : {}) };
}

function open(service: BackboneService, route: string, cell: Cell, note: string): Row {
  return { service, route, public: true, own: '—', cells: Object.fromEntries(CALLER_IDS.map((id) => [id, cell])) as Record<CallerId, Cell>, note };
}

/**
 * A page of the console for people (`/ui/…`): no key; the session cookie says who calls. A caller
 * with a key but no session is like anyone without one.
 */
function page(route: string, cells: Partial<Record<CallerId, Cell>>, otherwise: Cell, note: string): Row {
  const all = Object.fromEntries(CALLER_IDS.map((id) => [id, otherwise])) as Record<CallerId, Cell>;
  return { service: 'console', route, own: 'the console', cells: { ...all, ...cells }, note };
}
const SESSIONS = ['operator-session', 'auditor-session'] as const;
const BOTH_SESSIONS = { 'operator-session': '200', 'auditor-session': '200' };
/** A change on the pages: an operator's session, and its CSRF token, which the probe does not carry. */
const OPERATOR_ACTS = { 'operator-session': '403 CSRF_TOKEN_INVALID', 'auditor-session': '403 FORBIDDEN' };
const ACTION = 'operators only, with the session\'s CSRF token (the probe carries none); audited before it runs; a reason is required';

const each = (ids: readonly CallerId[], cell: Cell) => Object.fromEntries(ids.map((id) => [id, cell])) as Partial<Record<CallerId, Cell>>;

const REFERRAL = 'own service: the lead the referral was routed to (a child-welfare notification → ksh-child-welfare-jyvaskyla); own organisation of a submitter: the one that submitted it';
const CONSENT = 'own organisation: the one that recorded the consent (the submitter); own service: a service the consent names';

const publicRows = (service: BackboneService): Row[] => [
  open(service, 'GET /health/live', '200', 'public: liveness'),
  open(service, 'GET /health/ready', '200', 'public: readiness (503 while a dependency is down)'),
  open(service, 'GET /docs/json', '200', 'public: the OpenAPI document'),
  open(service, 'GET /metrics', '200', 'public: Prometheus metrics, codes and counts only (docs/metrics.md)'),
];

export const ROWS: Row[] = [
  ...publicRows('referralApi'),
  keyed('referralApi', 'POST /v1/referrals', 'the key\'s own organisation submits', { ...each(SUBMITTERS, '202'), resident: '403 SUBMITTER_ROLE_NOT_YOURS' }, '403 FORBIDDEN', 'the submitter is the key\'s; a person refers only themselves or their child, through the e-service (finding 1)'),
  keyed('referralApi', 'GET /v1/referrals/{id}', REFERRAL, {
    'submitter-own': '200', 'submitter-other-org': '403 NOT_A_RECIPIENT',
    'recipient-own-service': '200', 'recipient-sibling-service': '403 NOT_FOR_YOUR_SERVICE', 'recipient-other-org': '403 NOT_A_RECIPIENT',
    operator: '200',
  }),
  keyed('referralApi', 'GET /v1/referrals/{id}/details', REFERRAL, {
    'recipient-own-service': '200', 'recipient-sibling-service': '403 NOT_FOR_YOUR_SERVICE', 'recipient-other-org': '403 NOT_A_RECIPIENT',
    operator: '403 DETAILS_NOT_FOR_OPERATORS',
  }, '403 FORBIDDEN', 'a refusal after the role check is written to the disclosure log'),
  keyed('referralApi', 'GET /v1/subjects/{ref}/disclosures', 'any subject', { auditor: '200' }),
  keyed('referralApi', 'POST /v1/subjects/disclosures/lookup', 'the person the e-service vouches for', { resident: '403 NOT_THE_PERSON_OR_THEIR_CHILD' }, '403 FORBIDDEN', 'only the person\'s own log, or their child\'s'),
  keyed('referralApi', 'GET /v1/keys', 'every key', { operator: '200' }, '403 FORBIDDEN', 'the key lifecycle is for operators only; secrets are never listed'),
  keyed('referralApi', 'POST /v1/keys', 'every key', { operator: '201' }, '403 FORBIDDEN', 'audited with who, when and the reason'),
  keyed('referralApi', 'POST /v1/keys/{id}/revoke', 'every key', { operator: '200' }, '403 FORBIDDEN', 'audited; the key is refused at once'),
  keyed('referralApi', 'POST /v1/keys/{id}/rotate', 'every key', { operator: '200' }, '403 FORBIDDEN', 'audited; the old secret works for the overlap'),
  keyed('referralApi', 'GET /v1/me/access-export', 'the person the e-service vouches for', { resident: '200' }, '403 ACCESS_EXPORT_RESIDENT_ONLY', 'the right of access: only the resident e-service, for the person its signed assertion names'),

  ...publicRows('router'),
  keyed('router', 'GET /v1/referrals/{id}/timers', REFERRAL, { operator: '200' }),

  ...publicRows('consent'),
  keyed('consent', 'POST /v1/consents', CONSENT, { ...each([...SUBMITTERS, ...RECIPIENTS], '201'), resident: '403 GRANTOR_NOT_THE_PERSON' }, '403 FORBIDDEN', 'a permission naming the recorder needs an evidence reference (the probe gives one); a person records only as themselves or their child\'s guardian'),
  keyed('consent', 'POST /v1/bans', CONSENT, { ...each([...SUBMITTERS, ...RECIPIENTS], '201'), resident: '403 GRANTOR_NOT_THE_PERSON' }, '403 FORBIDDEN', 'a person records only as themselves or their child\'s guardian'),
  keyed('consent', 'POST /v1/consents/{id}/withdraw', CONSENT, { ...each([...SUBMITTERS, ...RECIPIENTS], '403 CONSENT_WITHDRAW_FORBIDDEN'), 'submitter-own': '200', resident: '403 CONSENT_WITHDRAW_FORBIDDEN' }, '403 FORBIDDEN', 'only the grantor (through the e-service) or the recording organisation (finding 2)'),
  keyed('consent', 'GET /v1/consents/{id}', CONSENT, { ...each([...SUBMITTERS, ...RECIPIENTS], '403 CONSENT_LOOKUP_FORBIDDEN'), 'submitter-own': '200', operator: '200', auditor: '200' }, '403 FORBIDDEN', 'the recording organisation, operators and auditors'),
  keyed('consent', 'GET /v1/subjects/{subjectRef}/consents', CONSENT, { 'recipient-own-service': '200', resident: '403 CONSENT_LOOKUP_FORBIDDEN' }, '403 CONSENT_LOOKUP_FORBIDDEN', 'the person and their guardian through the e-service, and professionals of a service a referral of the subject was routed to; every lookup is written to the disclosure log'),
  keyed('consent', 'POST /v1/subjects/consents/lookup', CONSENT, { 'recipient-own-service': '200', resident: '403 CONSENT_LOOKUP_FORBIDDEN' }, '403 CONSENT_LOOKUP_FORBIDDEN', 'as by subject reference, by identity code; logged'),
  keyed('consent', 'POST /v1/decisions', 'any subject', { operator: '200', backbone: '200' }),

  ...publicRows('disclosureSealer'),

  ...publicRows('console'),
  keyed('console', 'GET /v1/traces/referrals/{referralId}', 'any referral', { operator: '200', auditor: '200' }, '403 FORBIDDEN', 'codes and ids; only an auditor sees the disclosure entries in full'),
  keyed('console', 'GET /v1/traces/events/{eventId}', 'any referral', { operator: '200', auditor: '200' }, '403 FORBIDDEN', 'the probe names the routed event of the referral'),
  keyed('console', 'GET /v1/traces/deliveries/{deliveryId}', 'any referral', { operator: '404 TRACE_NOT_FOUND', auditor: '404 TRACE_NOT_FOUND' }, '403 FORBIDDEN', 'the probe names a delivery that does not exist (the referral of the table goes to child welfare, which no adapter serves); test/console.test.ts traces a real one'),
  keyed('console', 'GET /v1/traces/idempotency-keys/{key}', 'any referral', { operator: '200', auditor: '200' }, '403 FORBIDDEN', 'the key the referral of the table was submitted with'),
  keyed('console', 'GET /v1/lag', 'every consumer group', { operator: '200', auditor: '200' }),
  keyed('console', 'GET /v1/queues', 'every queue', { operator: '200', auditor: '200' }),
  keyed('console', 'GET /v1/alerts', 'every alert', { operator: '200', auditor: '200' }),
  keyed('console', 'GET /v1/operator-actions', 'every operator action', { auditor: '200' }, '403 FORBIDDEN', 'the operators\' audit trail: auditors only, operators do not read their own'),
  keyed('console', 'GET /v1/dead-letters', 'every dead letter', { operator: '200', auditor: '200' }, '403 FORBIDDEN', 'codes and sizes, never a record value'),
  keyed('console', 'GET /v1/dead-letters/{topic}/{partition}/{offset}', 'every dead letter', { operator: '404 DEAD_LETTER_NOT_FOUND', auditor: '404 DEAD_LETTER_NOT_FOUND' }, '403 FORBIDDEN', 'the probe names a position no dead letter has'),
  keyed('console', 'POST /v1/dead-letters/{topic}/{partition}/{offset}/replay', 'every dead letter', { operator: '404 DEAD_LETTER_NOT_FOUND' }, '403 FORBIDDEN', 'audited before it runs; a reason code is required; auditors only read'),
  keyed('console', 'POST /v1/dead-letters/{topic}/{partition}/{offset}/park', 'every dead letter', { operator: '404 DEAD_LETTER_NOT_FOUND' }, '403 FORBIDDEN', 'audited before it runs'),
  keyed('console', 'POST /v1/dead-letters/bulk-replays/dry-run', 'every dead letter', { operator: '200' }, '403 FORBIDDEN', 'counts only; changes nothing, but leads to a bulk replay, so operators only'),
  keyed('console', 'POST /v1/dead-letters/bulk-replays', 'every dead letter', { operator: '409 BULK_REPLAY_COUNT_CHANGED' }, '403 FORBIDDEN', 'audited; confirms a dry run by its count (the probe confirms a count that does not match)'),
  keyed('console', 'GET /v1/dead-letters/bulk-replays', 'every bulk replay', { operator: '200', auditor: '200' }),
  keyed('console', 'GET /v1/dead-letters/bulk-replays/{id}', 'every bulk replay', { operator: '404 BULK_REPLAY_NOT_FOUND', auditor: '404 BULK_REPLAY_NOT_FOUND' }),
  keyed('console', 'POST /v1/dead-letters/bulk-replays/{id}/cancel', 'every bulk replay', { operator: '404 BULK_REPLAY_NOT_FOUND' }, '403 FORBIDDEN', 'audited before it runs'),
  page('GET /ui/', { 'operator-session': '200', 'auditor-session': '200' }, '303', 'the overview; without a session, on to the sign-in page'),
  page('GET /ui/overview/stream', BOTH_SESSIONS, '303', 'the overview\'s figures as server-sent events (the probe reads the status and leaves)'),
  page('GET /ui/trace', BOTH_SESSIONS, '303', 'find a referral by any of its ids'),
  page('GET /ui/referrals/{referralId}', BOTH_SESSIONS, '303', 'one referral\'s trace; an auditor also sees the disclosure entries in full'),
  page('GET /ui/dead-letters', BOTH_SESSIONS, '303', 'codes and sizes, never a record value'),
  page('GET /ui/dead-letters/{topic}/{partition}/{offset}', { 'operator-session': '404 DEAD_LETTER_NOT_FOUND', 'auditor-session': '404 DEAD_LETTER_NOT_FOUND' }, '303', 'the probe names a position no dead letter has; a browser gets the page saying so'),
  page('POST /ui/dead-letters/{topic}/{partition}/{offset}/replay', OPERATOR_ACTS, '303', ACTION),
  page('POST /ui/dead-letters/{topic}/{partition}/{offset}/park', OPERATOR_ACTS, '303', ACTION),
  page('GET /ui/dead-letters/bulk', BOTH_SESSIONS, '303', 'the dry-run form (operators) and the recent bulk replays'),
  page('POST /ui/dead-letters/bulk/dry-run', OPERATOR_ACTS, '303', 'counts only, but leads to a bulk replay: operators only, with the session\'s CSRF token'),
  page('POST /ui/dead-letters/bulk', OPERATOR_ACTS, '303', ACTION),
  page('GET /ui/dead-letters/bulk/{id}', { 'operator-session': '404 BULK_REPLAY_NOT_FOUND', 'auditor-session': '404 BULK_REPLAY_NOT_FOUND' }, '303', 'the probe names a bulk replay that does not exist'),
  page('GET /ui/dead-letters/bulk/{id}/progress', { 'operator-session': '404 BULK_REPLAY_NOT_FOUND', 'auditor-session': '404 BULK_REPLAY_NOT_FOUND' }, '303', 'the figures the progress page asks for every second'),
  page('POST /ui/dead-letters/bulk/{id}/cancel', OPERATOR_ACTS, '303', ACTION),
  page('GET /ui/lag', BOTH_SESSIONS, '303', 'every consumer group'),
  page('GET /ui/queues', BOTH_SESSIONS, '303', 'every queue'),
  page('GET /ui/alerts', BOTH_SESSIONS, '303', 'every alert'),
  page('GET /ui/audit', { 'operator-session': '403 FORBIDDEN', 'auditor-session': '200' }, '303', 'the operators\' audit trail: auditors only'),
  open('console', 'GET /ui/sign-in', '200', 'public: the sign-in page'),
  open('console', 'GET /ui/sign-in/start', '303', 'public: on to the identity provider'),
  open('console', 'GET /ui/callback', '303', 'public: back from the identity provider; without the sign-in it began with, to the sign-in page (SIGN_IN_FAILED)'),
  page('POST /ui/sign-out', { 'operator-session': '403 CSRF_TOKEN_INVALID', 'auditor-session': '403 CSRF_TOKEN_INVALID' }, '303', 'needs the session\'s CSRF token, which the probe does not carry; without a session, on to the signed-out page'),
  open('console', 'GET /ui/signed-out', '200', 'public'),
  open('console', 'GET /ui/language/{language}', '303', 'public: keeps the language in a cookie'),
  open('console', 'GET /ui/static/htmx.min.js', '200', 'public: htmx, served from the package'),
  open('console', 'GET /ui/static/console.css', '200', 'public'),
  open('console', 'GET /ui/static/sse.js', '200', 'public: htmx\'s server-sent events extension, served from the package'),

  ...publicRows('adapterHost'),
  open('adapterHost', 'POST /v1/adapters/education.school/callbacks', '401 CALLBACK_SIGNATURE_INVALID', 'signed by the school system (Standard Webhooks), no API key: an unsigned call is refused whatever key it carries'),
  open('adapterHost', 'POST /v1/adapters/ngo.webhook/callbacks', '401 CALLBACK_SIGNATURE_INVALID', 'signed by the NGO system (Standard Webhooks), no API key: an unsigned call is refused whatever key it carries'),
];
