import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SectorAdapter } from '../define-adapter';
import { RejectedDeliveryError, RetryableDeliveryError } from '../errors';
import type { ConformanceOptions, ConformanceStub } from './conformance-stub';
import { sampleContext, sampleDelivery } from './sample-delivery';

const TIMEOUT_MS = 300;

/** Outbound: what every adapter must do with its system's answers. */
export function deliverySuite(options: ConformanceOptions): void {
  describe(`${options.name} conformance: deliveries`, () => {
    let stub: ConformanceStub;
    let adapter: SectorAdapter;
    beforeAll(async () => {
      stub = await options.stub();
      adapter = options.adapter(stub, { timeoutMs: TIMEOUT_MS });
    });
    afterAll(() => stub?.close());
    beforeEach(() => stub.script([]));

    const deliver = (attempt = 1, delivery = sampleDelivery(options.served)) => adapter.deliver(delivery, sampleContext(attempt));
    const received = async (key: string) => (await stub.deliveries()).find((d) => d.idempotencyKey === key);
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

    it('serves its parties and no others', () => {
      expect(adapter.serves(options.served)).toBe(true);
      expect(adapter.serves(options.notServed)).toBe(false);
    });

    it('delivers, keyed by the delivery id, and resolves', async () => {
      const delivery = sampleDelivery(options.served);
      await expect(deliver(1, delivery)).resolves.toBeTypeOf('object');
      expect(await received(delivery.deliveryId)).toMatchObject({ attempts: 1 });
    });

    it('sends a repeated delivery with the same idempotency key', async () => {
      const delivery = sampleDelivery(options.served);
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

    it('makes 422 a rejection carrying the answer', async () => {
      await stub.script([{ status: 422, body: '{"error":"unknown-service"}' }]);
      const error = await failure(deliver());
      expect(error).toBeInstanceOf(RejectedDeliveryError);
      expect(error).toMatchObject({ code: 'DELIVERY_REJECTED', httpStatus: 422, answer: '{"error":"unknown-service"}' });
    });
  });
}
