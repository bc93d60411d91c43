import type { DataCategory, LegalBasis, Party, Purpose } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';
import { traceHeaders } from '@polku/telemetry';
import type { Decision } from './types';

/** What a backbone service asks the consent service before it discloses anything. */
export interface DecisionQuestion {
  subjectRef: string;
  /** The catalogue fills in sector and accepted statutes from the organisation and service ids. */
  recipient: Party;
  dataCategories: readonly DataCategory[];
  purpose: Purpose;
  legalBasis?: LegalBasis;
  /**
   * Who would disclose: a permission counts only when its `disclosers` cover it.
   * @defaultValue not checked (see README.md for which callers pass it)
   */
  discloser?: Party;
}

/** The consent service's `POST /v1/decisions`, as every backbone service calls it. */
export interface ConsentDecider {
  decide(question: DecisionQuestion): Promise<Decision>;
}

export class ConsentUnavailable extends PolkuError {
  constructor(detail: string, cause?: unknown) {
    super('CONSENT_UNAVAILABLE', `the consent service did not decide: ${detail}`, { status: 503, retryable: true, cause });
  }
}

export interface HttpConsentDeciderOptions {
  /** e.g. `http://127.0.0.1:8083` */
  baseUrl: string;
  /** A key with the `backbone` role. */
  apiKey: string;
  /** @defaultValue 3000 */
  timeoutMs?: number;
}

/**
 * Asks the consent service every time, never a cache: a withdrawal must stop the very
 * next disclosure. A service that cannot get an answer must not disclose (fail closed).
 */
export function httpConsentDecider(options: HttpConsentDeciderOptions): ConsentDecider {
  return {
    async decide(question) {
      let res: Response;
      try {
        res = await fetch(`${options.baseUrl}/v1/decisions`, {
          method: 'POST',
          // In the trace of the delivery or request that asks: the consent service's lines name it too.
          headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey, ...traceHeaders() },
          body: JSON.stringify(question),
          signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
        });
      } catch (cause) {
        throw new ConsentUnavailable('no answer', cause);
      }
      if (!res.ok) throw new ConsentUnavailable(`HTTP ${res.status}`);
      return (await res.json()) as Decision;
    },
  };
}
