import type { Party } from '@polku/contracts';
import type { CallbackAction } from '../callback';
import type { SectorAdapter } from '../define-adapter';
import type { Delivery } from '../delivery';

/** How the stand-in system answers one delivery. */
export interface ScriptedAnswer {
  status: number;
  /** JSON text of the answer. @defaultValue a small JSON body fitting the status */
  body?: string;
  /** Sent as the `Retry-After` header. */
  retryAfter?: string;
  /** Wait this long before answering (to provoke a timeout). @defaultValue 0 */
  delayMs?: number;
}

/** One delivery as the stand-in system saw it. */
export interface ReceivedDelivery {
  idempotencyKey: string;
  /** Correctly signed requests with this key, the first included. */
  attempts: number;
  /** The detail categories the request carried (names only: the stand-in never reports values). */
  detailsReceived?: string[];
}

/** What the conformance suite needs from an adapter's stand-in system. */
export interface ConformanceStub {
  readonly url: string;
  /** The secret the stand-in signs callbacks with and checks deliveries against. */
  readonly secret: Buffer;
  /** Answers for the next deliveries, in order; once used up, the stand-in accepts. */
  script(answers: ScriptedAnswer[]): Promise<void>;
  deliveries(): Promise<ReceivedDelivery[]>;
  /** The raw body the system would call back with, unsigned. */
  callbackBody(delivery: Delivery, action: CallbackAction['action']): string;
  close(): Promise<void>;
}

export interface AdapterBinding {
  timeoutMs: number;
  /** `POLKU_REFERRAL_API_URL` */
  referralApiUrl: string;
  /** The API key of `served.organisationId` at the referral API. */
  apiKey: string;
}

export interface ConformanceOptions {
  /** Shown in the describe titles, e.g. the adapter id. */
  name: string;
  /** Starts a fresh stand-in on a free port. */
  stub(): Promise<ConformanceStub>;
  /**
   * The adapter under test, bound to the stand-in, with the request timeout given, the
   * referral API (a test double of its details endpoint) and the key `served` fetches with.
   */
  adapter(stub: ConformanceStub, options: AdapterBinding): SectorAdapter;
  /** A party the adapter delivers to, and one it must leave alone. */
  served: Party;
  notServed: Party;
}
