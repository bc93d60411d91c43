import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CallbackSignatureInvalid } from './errors';
import { sign, signatureHeaders, verify } from './signing';

const secret = 'shared-secret';
const body = '{"callbackId":"cb-1"}';
const now = new Date('2025-03-10T08:00:00Z');

describe('sign', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`1741593600.${body}`).digest('hex');
    expect(sign(secret, 1741593600, body)).toBe(expected);
  });
});

describe('verify', () => {
  const headers = signatureHeaders(secret, body, now);

  it('accepts a request signed with the secret within the tolerance', () => {
    expect(() => verify({ secret, body, headers, now: new Date(now.getTime() + 299_000) })).not.toThrow();
  });

  it.each([
    ['a missing signature', {}, body, now],
    ['another secret', signatureHeaders('other', body, now), body, now],
    ['a changed body', headers, `${body} `, now],
    ['a stale timestamp', headers, body, new Date(now.getTime() + 301_000)],
    ['a timestamp from the future', headers, body, new Date(now.getTime() - 301_000)],
    ['a malformed signature', { ...headers, 'x-polku-signature': 'v1=zz' }, body, now],
  ])('refuses %s', (_case, presented, presentedBody, at) => {
    expect(() => verify({ secret, body: presentedBody, headers: presented, now: at })).toThrow(CallbackSignatureInvalid);
  });

  it('answers 401 with a stable code', () => {
    const error = (() => { try { verify({ secret, body, headers: {} }); } catch (e) { return e; } })();
    expect(error).toMatchObject({ code: 'CALLBACK_SIGNATURE_INVALID', status: 401 });
  });
});
