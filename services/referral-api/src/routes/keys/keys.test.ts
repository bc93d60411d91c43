import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords, startHarness, type Harness } from '../../testing/harness';

/** The operators' key API and the lifecycle it drives: issue, list, revoke, rotate, expiry, audit. */
describe('/v1/keys', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) =>
    h.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });
  const status = (key: string) => call('GET', '/v1/referrals/00000000-0000-4000-8000-000000000000', key);
  const issue = async (extra: object = {}) => {
    const answer = await call('POST', '/v1/keys', h.keys.operator, { organisationId: 'laukaa-education', systemId: 'primus', roles: ['submitter'], reason: 'new school system', ...extra });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<{ keyId: string; key: string }>();
  };
  const audit = async (keyId: string) =>
    (await h.db.query<{ action: string; actor: string; reason: string }>('SELECT action, actor, reason FROM api_key_audit WHERE key_id = $1 ORDER BY audit_id', [keyId])).rows;

  it('is for operators only', async () => {
    for (const key of [h.keys.school, h.keys.auditor, h.keys.residentPortal]) {
      expect((await call('GET', '/v1/keys', key)).statusCode).toBe(403);
      expect((await call('POST', '/v1/keys', key, { organisationId: 'a', systemId: 'b', roles: ['operator'], reason: 'escalate' })).statusCode).toBe(403);
    }
  });

  it('issues a key shown once, lists it without any secret, and audits who and why', async () => {
    const { keyId, key } = await issue({ services: ['laukaa-student-welfare'] });
    expect((await status(key)).statusCode).toBe(404);
    const listed = await call('GET', '/v1/keys', h.keys.operator);
    expect(listed.body).not.toContain(key.split('.')[1]);
    expect(listed.json().keys.find((k: { keyId: string }) => k.keyId === keyId)).toMatchObject({ organisationId: 'laukaa-education', systemId: 'primus', roles: ['submitter'], services: ['laukaa-student-welfare'], state: 'active' });
    expect(await audit(keyId)).toEqual([{ action: 'issue', actor: expect.stringMatching(/^key:[a-z0-9]{12} polku-operations\/test-operator$/), reason: 'new school system' }]);
  });

  it('needs a reason for every change', async () => {
    const { keyId } = await issue();
    expect((await call('POST', `/v1/keys/${keyId}/revoke`, h.keys.operator, {})).statusCode).toBe(400);
    expect((await call('POST', `/v1/keys/${keyId}/rotate`, h.keys.operator, {})).statusCode).toBe(400);
  });

  it('revokes at once: the next request gets 401 KEY_REVOKED', async () => {
    const { keyId, key } = await issue();
    const revoked = await call('POST', `/v1/keys/${keyId}/revoke`, h.keys.operator, { reason: 'system retired' });
    expect(revoked.json()).toEqual({ keyId, state: 'revoked' });
    const refused = await status(key);
    expect([refused.statusCode, refused.json().code]).toEqual([401, 'KEY_REVOKED']);
    expect((await call('POST', `/v1/keys/${keyId}/revoke`, h.keys.operator, { reason: 'again' })).json().code).toBe('KEY_NOT_ACTIVE');
    expect((await audit(keyId)).map((a) => a.action)).toEqual(['issue', 'revoke']);
  });

  it('writes a revocation to the operator audit topic before it runs (who, the reason code, the key), its outcome after', async () => {
    const { keyId } = await issue();
    await call('POST', `/v1/keys/${keyId}/revoke`, h.keys.operator, { reason: 'laptop stolen', reasonCode: 'key-compromised', ticket: 'INC-77' });
    // Both are on the topic before the answer: read all of it.
    const events = (await readRecords(h.operatorAuditTopic, await h.topicSize(h.operatorAuditTopic))).map((r) => JSON.parse(String(r.value)) as { type: string; data: Record<string, unknown> });
    const requested = events.find((e) => e.type === 'fi.polku.operator-action.requested.v1' && (e.data['target'] as { keyId?: string }).keyId === keyId)!;
    expect(requested.data).toMatchObject({ action: 'api-key.revoke', reason: { code: 'key-compromised', ticket: 'INC-77' }, actor: { organisationId: expect.any(String), systemId: expect.any(String) } });
    // Free text stays in PostgreSQL's api_key_audit, never on a topic.
    expect(JSON.stringify(events)).not.toContain('laptop stolen');
    const completed = events.find((e) => e.type === 'fi.polku.operator-action.completed.v1' && e.data['actionId'] === requested.data['actionId']);
    expect(completed?.data).toMatchObject({ outcome: 'succeeded' });
  });

  it('refuses an expired key with 401 KEY_EXPIRED, and a wrong secret of it as any unknown key', async () => {
    const { keyId, key } = await issue({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await status(key)).statusCode).toBe(404);
    await h.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE key_id = $1", [keyId]);
    expect((await status(key)).json().code).toBe('KEY_EXPIRED');
    expect((await status(`${key.slice(0, -4)}AAAA`)).json().code).toBe('NOT_AUTHENTICATED');
  });

  it('rotates: same key id, a new secret; the old one works during the overlap and not after', async () => {
    const { keyId, key: old } = await issue();
    const rotated = await call('POST', `/v1/keys/${keyId}/rotate`, h.keys.operator, { reason: 'yearly rotation' });
    const { key: fresh, previousSecretUntil } = rotated.json<{ key: string; previousSecretUntil: string }>();
    expect(fresh.startsWith(`pk_${keyId}.`)).toBe(true);
    expect(fresh).not.toBe(old);
    expect(Date.parse(previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect((await status(old)).statusCode).toBe(404);
    expect((await status(fresh)).statusCode).toBe(404);

    const again = (await call('POST', `/v1/keys/${keyId}/rotate`, h.keys.operator, { reason: 'leaked', overlapSeconds: 0 })).json<{ key: string }>();
    expect((await status(fresh)).json().code).toBe('NOT_AUTHENTICATED');
    expect((await status(again.key)).statusCode).toBe(404);
    expect((await audit(keyId)).map((a) => [a.action, a.reason])).toEqual([['issue', 'new school system'], ['rotate', 'yearly rotation'], ['rotate', 'leaked']]);
  });

  it('keeps the audit append-only', async () => {
    const { keyId } = await issue();
    await expect(h.db.query('DELETE FROM api_key_audit WHERE key_id = $1', [keyId])).rejects.toThrow(/append-only/);
  });
});
