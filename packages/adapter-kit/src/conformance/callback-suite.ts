import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackAction } from '../callback';
import type { SectorAdapter } from '../define-adapter';
import { CallbackSignatureInvalid } from '../errors';
import { signatureHeaders } from '../signing';
import type { ConformanceOptions, ConformanceStub } from './conformance-stub';
import { sampleDelivery } from './sample-delivery';

const ACTIONS: CallbackAction['action'][] = ['accept', 'decline', 'first-contact', 'close'];

/** Inbound: signed callbacks are taken and mapped; unsigned, wrongly signed or stale ones are not. */
export function callbackSuite(options: ConformanceOptions): void {
  describe(`${options.name} conformance: callbacks`, () => {
    let stub: ConformanceStub;
    let adapter: SectorAdapter;
    beforeAll(async () => {
      stub = await options.stub();
      adapter = options.adapter(stub, { timeoutMs: 1000, referralApiUrl: 'http://127.0.0.1:1', apiKey: 'unused' });
    });
    afterAll(() => stub?.close());

    const delivery = sampleDelivery(options.served);

    it('declares an object schema for the body', () => {
      expect(adapter.callbacks.bodySchema).toMatchObject({ type: 'object' });
    });

    it.each(ACTIONS)('accepts a signed %s callback and maps it', (action) => {
      const rawBody = stub.callbackBody(delivery, action);
      expect(() => adapter.callbacks.verify({ rawBody, headers: signatureHeaders(stub.secret, rawBody) })).not.toThrow();
      expect(adapter.callbacks.toAction(JSON.parse(rawBody))).toMatchObject({ action, referralId: delivery.referralId });
    });

    it('refuses a callback signed with another secret', () => {
      const rawBody = stub.callbackBody(delivery, 'accept');
      expect(() => adapter.callbacks.verify({ rawBody, headers: signatureHeaders(Buffer.concat([stub.secret, Buffer.from("x")]), rawBody) })).toThrow(CallbackSignatureInvalid);
    });

    it('refuses a callback whose body changed after signing', () => {
      const rawBody = stub.callbackBody(delivery, 'accept');
      const headers = signatureHeaders(stub.secret, rawBody);
      expect(() => adapter.callbacks.verify({ rawBody: rawBody.replace('accept', 'decline'), headers })).toThrow(CallbackSignatureInvalid);
    });

    it('refuses an unsigned callback', () => {
      expect(() => adapter.callbacks.verify({ rawBody: stub.callbackBody(delivery, 'close'), headers: {} })).toThrow(CallbackSignatureInvalid);
    });

    it('refuses a stale signature', () => {
      const rawBody = stub.callbackBody(delivery, 'accept');
      const tenMinutesAgo = new Date(Date.now() - 600_000);
      expect(() => adapter.callbacks.verify({ rawBody, headers: signatureHeaders(stub.secret, rawBody, tenMinutesAgo) })).toThrow(CallbackSignatureInvalid);
    });
  });
}
