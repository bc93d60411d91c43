import { PERSON_ASSERTION_HEADER } from '@polku/service-kit';
/** What the consent service says about a subject's consents, or why it said nothing. */
export type ConsentsAnswer = { available: true; consents: object[] } | { available: false; code: 'CONSENT_UNAVAILABLE' };

/** The resident e-service's own credentials, relayed: its key and its signed assertion about the person. */
export interface RelayedPerson {
  apiKey: string;
  personAssertion: string;
}

/** Reads a subject's consents (every state) from the consent service, as the person asking. */
export type ConsentReader = (subjectRef: string, as: RelayedPerson) => Promise<ConsentsAnswer>;

/**
 * `GET /v1/subjects/:subjectRef/consents` at the consent service with the resident e-service's
 * own key and assertion, not a backbone key: the consent service owns the ledger and decides
 * itself what this person may see (their own, and never more), and logs the lookup as theirs.
 * No answer, or a refusal, is said so in the export; it never fails the rest of it.
 */
export function httpConsentReader(options: { baseUrl: string; timeoutMs?: number }): ConsentReader {
  return async (subjectRef, as) => {
    try {
      const res = await fetch(new URL(`/v1/subjects/${encodeURIComponent(subjectRef)}/consents`, options.baseUrl), {
        headers: { accept: 'application/json', 'x-api-key': as.apiKey, [PERSON_ASSERTION_HEADER]: as.personAssertion },
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      });
      if (!res.ok) return { available: false, code: 'CONSENT_UNAVAILABLE' };
      const body = (await res.json()) as { consents?: unknown };
      return Array.isArray(body.consents) ? { available: true, consents: body.consents as object[] } : { available: false, code: 'CONSENT_UNAVAILABLE' };
    } catch {
      return { available: false, code: 'CONSENT_UNAVAILABLE' };
    }
  };
}
