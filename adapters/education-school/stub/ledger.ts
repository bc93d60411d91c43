// STAND-IN: what the stub school system remembers, in memory. Not a real school system.
import { detailCategories } from '@polku/adapter-kit';
import type { ScriptedAnswer } from '@polku/adapter-kit/conformance';
import type { SchoolReferral } from '../src/school-api';

export interface StubDelivery {
  idempotencyKey: string;
  referralId: string;
  service: SchoolReferral['service'];
  callbackUrl: string;
  /** Correctly signed requests with this key. */
  attempts: number;
  /** The status answered to each attempt, in order. */
  answers: number[];
  externalRef?: string;
  /** The categories the request said were released. */
  dataCategories: string[];
  /** The detail categories actually carried (names only; the values are never reported or logged). */
  detailsReceived: string[];
  /** The W3C `traceparent` header of each attempt, in order (none: an empty string). */
  traceparents: string[];
}

/** Scripted answers (used in order, then 200) and the deliveries seen, by idempotency key. */
export class Ledger {
  private script: ScriptedAnswer[] = [];
  private defaultBody: string | undefined;
  readonly deliveries = new Map<string, StubDelivery>();
  /** The details received, by idempotency key: kept apart so no admin answer or log line carries them. */
  readonly #details = new Map<string, Record<string, unknown>>();
  refusedSignatures = 0;
  private cases = 0;

  setScript(answers: ScriptedAnswer[], body?: string): void {
    this.script = [...answers];
    this.defaultBody = body;
  }

  /** The answer for one signed attempt; a key already taken is answered as before, without using the script. */
  answer(referral: SchoolReferral, traceparent = ''): ScriptedAnswer & { body: string } {
    const known = this.deliveries.get(referral.deliveryId);
    const details = typeof referral.details === 'object' && referral.details !== null ? referral.details : {};
    const delivery: StubDelivery = known ?? { idempotencyKey: referral.deliveryId, referralId: referral.referralId, service: referral.service, callbackUrl: referral.callbackUrl, attempts: 0, answers: [], dataCategories: [], detailsReceived: [], traceparents: [] };
    delivery.dataCategories = Array.isArray(referral.dataCategories) ? [...referral.dataCategories] : [];
    delivery.detailsReceived = detailCategories(details);
    this.#details.set(delivery.idempotencyKey, details);
    this.deliveries.set(delivery.idempotencyKey, delivery);
    delivery.attempts += 1;
    delivery.traceparents.push(traceparent);
    const scripted = delivery.externalRef ? undefined : this.script.shift();
    const status = scripted?.status ?? 200;
    if (status < 300) delivery.externalRef ??= `OH-${String(++this.cases).padStart(6, '0')}`;
    delivery.answers.push(status);
    const body = scripted?.body ?? (status < 300 ? JSON.stringify({ externalRef: delivery.externalRef }) : this.defaultBody ?? JSON.stringify({ error: `status-${status}` }));
    return { ...scripted, status, body };
  }

  /** The details a delivery carried, for in-process tests only (never over HTTP, never logged). */
  detailsOf(idempotencyKey: string): Record<string, unknown> | undefined {
    return this.#details.get(idempotencyKey);
  }

  /** The delivery a referral was taken in by, for callbacks. */
  deliveryOf(referralId: string): StubDelivery | undefined {
    return [...this.deliveries.values()].find((d) => d.referralId === referralId && d.externalRef);
  }
}
