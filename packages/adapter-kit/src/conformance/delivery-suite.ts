import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SectorAdapter } from '../define-adapter';
import { RejectedDeliveryError, RetryableDeliveryError } from '../errors';
import { ConsentMissingError } from '../errors';
import type { ConformanceOptions, ConformanceStub } from './conformance-stub';
import { startReferralApiDouble, type ReferralApiDouble } from './referral-api-double';
import { sampleContext, sampleDelivery } from './sample-delivery';

const TIMEOUT_MS = 300;
const API_KEY = 'conformance-recipient-key';

/** Outbound: what every adapter must do with its system's answers. */
export function deliverySuite(options: ConformanceOptions): void {
  describe(`${options.name} conformance: deliveries`, () => {
    let stub: ConformanceStub;
    let adapter: SectorAdapter;
    let referralApi: ReferralApiDouble;
    const refused = new Set<string>();
    beforeAll(async () => {
      stub = await options.stub();
      referralApi = await startReferralApiDouble({
        keys: { [API_KEY]: options.served.organisationId },
        decide: (referralId) => (refused.has(referralId) ? { allowed: false, reason: 'no-consent' } : { allowed: true, dataCategories: ['contact', 'need-description'] }),
      });
      adapter = options.adapter(stub, { timeoutMs: TIMEOUT_MS, referralApiUrl: referralApi.url, apiKey: API_KEY });
    });
    afterAll(async () => {
      await stub?.close();
      await referralApi?.close();
    });
    beforeEach(() => stub.script([]));

    const held = (delivery = sampleDelivery(options.served)) => {
      referralApi.hold(delivery.referralId, { identity: { firstName: 'Testi' }, contact: { phone: '0401234567' }, 'need-description': 'kuvaus' });
      return delivery;
    };
    const deliver = (attempt = 1, delivery = held()) => adapter.deliver(delivery, sampleContext(attempt));
    const received = async (key: string) => (await stub.deliveries()).find((d) => d.idempotencyKey === key);
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

    it('serves its parties and no others', () => {
      expect(adapter.serves(options.served)).toBe(true);
      expect(adapter.serves(options.notServed)).toBe(false);
    });

    it('delivers, keyed by the delivery id, and resolves', async () => {
      const delivery = held();
      await expect(deliver(1, delivery)).resolves.toBeTypeOf('object');
      expect(await received(delivery.deliveryId)).toMatchObject({ attempts: 1 });
    });

    it("fetches the details by claim check with the recipient's key and sends only what was released", async () => {
      const delivery = held();
      await deliver(1, delivery);
      expect(referralApi.requests.filter((r) => r.referralId === delivery.referralId)).toEqual([{ referralId: delivery.referralId, organisationId: options.served.organisationId, user: adapter.id, status: 200 }]);
      expect((await received(delivery.deliveryId))?.detailsReceived?.sort()).toEqual(['contact', 'need-description']);
    });

    it('sends nothing when the referral API refuses the details (403): consent missing, not retried', async () => {
      const delivery = held();
      refused.add(delivery.referralId);
      const error = await failure(deliver(1, delivery));
      expect(error).toBeInstanceOf(ConsentMissingError);
      expect(error).toMatchObject({ code: 'CONSENT_MISSING', retryable: false, reason: 'no-consent' });
      expect(await received(delivery.deliveryId)).toBeUndefined();
    });

    it.each([[404, 'DETAILS_NOT_READY'], [409, 'DETAILS_NOT_READY'], [503, 'DELIVERY_RETRYABLE']])('makes a %i from the referral API retryable (%s) and sends nothing', async (status, code) => {
      const delivery = held();
      referralApi.script([status as number]);
      expect(await failure(deliver(1, delivery))).toMatchObject({ code, retryable: true, httpStatus: status });
      expect(await received(delivery.deliveryId)).toBeUndefined();
    });

    it('sends a repeated delivery with the same idempotency key', async () => {
      const delivery = held();
      await deliver(1, delivery);
      await deliver(2, delivery);
      expect(await received(delivery.deliveryId)).toMatchObject({ attempts: 2 });
    });

    it.each([500, 503])('makes %i retryable', async (status) => {
      await stub.script([{ status }]);
      expect(await failure(deliver())).toMatchObject({ code: 'DELIVERY_RETRYABLE', httpStatus: status });
    });

    it('makes 429 retryable and passes Retry-After on', async () => {
      await stub.script([{ status: 429, retryAfter: '3' }]);
      const error = await failure(deliver());
      expect(error).toBeInstanceOf(RetryableDeliveryError);
      expect(error).toMatchObject({ httpStatus: 429, retryAfterMs: 3000 });
    });

    it('makes a timeout retryable', async () => {
      await stub.script([{ status: 200, delayMs: TIMEOUT_MS * 3 }]);
      expect(await failure(deliver())).toBeInstanceOf(RetryableDeliveryError);
    });

    it('makes 422 a rejection carrying the answer, redacted', async () => {
      await stub.script([{ status: 422, body: '{"error":"unknown-service","code":"E_SERVICE","pupil":{"name":"Aino Testinen"}}' }]);
      const error = await failure(deliver());
      expect(error).toBeInstanceOf(RejectedDeliveryError);
      expect(error).toMatchObject({ code: 'DELIVERY_REJECTED', httpStatus: 422, answer: { status: 422, code: 'E_SERVICE' } });
      expect((error as RejectedDeliveryError).answer.excerpt).toContain('unknown-service');
      expect(JSON.stringify((error as RejectedDeliveryError).answer) + (error as Error).message).not.toMatch(/Aino|Testinen/);
    });
  });
}
