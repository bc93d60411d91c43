// TEST DOUBLE of the referral API's claim check, `GET /v1/referrals/:id/details`: answers as the
// real endpoint does (keys per organisation, 404 before the status is projected, 403 when consent
// or statute does not allow, 200 with only the released categories). Tests only, never a real service.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataCategory } from '@polku/contracts';

/** What the double is asked to decide for one request: released categories, or a refusal reason. */
export type DetailsDecision = { allowed: true; dataCategories: readonly DataCategory[] } | { allowed: false; reason: string };

export interface ReferralApiDoubleOptions {
  /** API key → the organisation it belongs to. */
  keys: Readonly<Record<string, string>>;
  /** Whether `organisationId` may see referral `referralId`'s details now. @defaultValue every category held */
  decide?: (referralId: string, organisationId: string) => DetailsDecision | Promise<DetailsDecision>;
}

export interface DetailsRequest {
  referralId: string;
  organisationId: string;
  user: string | undefined;
  status: number;
}

export interface ReferralApiDouble {
  readonly url: string;
  /** Puts a referral's details, by category, in the double's vault. */
  hold(referralId: string, details: Partial<Record<DataCategory, unknown>>): void;
  /** Answers for the next requests, in order, before any decision (e.g. 503, 404). */
  script(statuses: number[]): void;
  /** Every request answered, in order (no details). */
  readonly requests: DetailsRequest[];
  close(): Promise<void>;
}

/** Where the referral API puts each category in `details`; the stand-ins map back with {@link detailCategories}. */
export const DETAIL_FIELDS: Partial<Record<DataCategory, string>> = { identity: 'child', contact: 'contact', guardians: 'guardians', 'need-description': 'description' };

/** The codes the real referral API gives with the statuses a test may script. */
const FORCED_CODES: Record<number, string> = { 404: 'REFERRAL_NOT_FOUND', 409: 'REFERRAL_NOT_ROUTED_YET', 429: 'RATE_LIMITED', 503: 'DEPENDENCY_UNAVAILABLE' };

const problem = (res: ServerResponse, status: number, code: string, extra: Record<string, unknown> = {}) => {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `urn:polku:problem:${code.toLowerCase().replaceAll('_', '-')}`, title: code, status, code, ...extra }));
};

/** Starts the double on a free port of 127.0.0.1. */
export async function startReferralApiDouble(options: ReferralApiDoubleOptions): Promise<ReferralApiDouble> {
  const vault = new Map<string, Partial<Record<DataCategory, unknown>>>();
  const scripted: number[] = [];
  const requests: DetailsRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/v1\/referrals\/([^/]+)\/details$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'GET' || !match) return problem(res, 404, 'NOT_FOUND');
    const referralId = decodeURIComponent(match[1] ?? '');
    const organisationId = options.keys[String(req.headers['x-api-key'] ?? '')];
    const user = typeof req.headers['x-polku-user'] === 'string' ? req.headers['x-polku-user'] : undefined;
    const answer = (status: number, send: () => void) => {
      requests.push({ referralId, organisationId: organisationId ?? '?', user, status });
      send();
    };
    if (!organisationId) return answer(401, () => problem(res, 401, 'NOT_AUTHENTICATED'));
    const forced = scripted.shift();
    if (forced !== undefined) return answer(forced, () => problem(res, forced, FORCED_CODES[forced] ?? 'INTERNAL'));
    const held = vault.get(referralId);
    if (!held) return answer(404, () => problem(res, 404, 'REFERRAL_NOT_FOUND'));
    const decision = options.decide ? await options.decide(referralId, organisationId) : { allowed: true as const, dataCategories: Object.keys(held) as DataCategory[] };
    if (!decision.allowed) return answer(403, () => problem(res, 403, 'DISCLOSURE_REFUSED', { reason: decision.reason }));
    const dataCategories = decision.dataCategories.filter((category) => category in held);
    // As the real answer: each category under its field (identity → child, need-description → description, ...).
    const details = Object.fromEntries(dataCategories.map((category) => [DETAIL_FIELDS[category] ?? category, held[category]]));
    return answer(200, () => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ referralId, disclosureId: randomUUID(), dataCategories, basis: { kind: 'consent', consentIds: [] }, details }));
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => problem(res, 500, 'INTERNAL'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (referralId, details) => void vault.set(referralId, details),
    script: (statuses) => void scripted.push(...statuses),
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
