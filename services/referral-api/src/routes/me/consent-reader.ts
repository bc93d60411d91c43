/** What the consent service says about a subject's consents, or why it said nothing. */
export type ConsentsAnswer = { available: true; consents: object[] } | { available: false; code: 'CONSENT_UNAVAILABLE' };

/** Reads a subject's consents (every state) from the consent service. */
export type ConsentReader = (subjectRef: string) => Promise<ConsentsAnswer>;

/**
 * `GET /v1/subjects/:subjectRef/consents` at the consent service with the referral API's own
 * backbone key: the consent service owns the ledger, the referral API only passes its answer on.
 * No answer, or a refusal, is said so in the export; it never fails the rest of it.
 */
export function httpConsentReader(options: { baseUrl: string; apiKey: string; timeoutMs?: number }): ConsentReader {
  return async (subjectRef) => {
    try {
      const res = await fetch(new URL(`/v1/subjects/${encodeURIComponent(subjectRef)}/consents`, options.baseUrl), {
        headers: { accept: 'application/json', 'x-api-key': options.apiKey },
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
