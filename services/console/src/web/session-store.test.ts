import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlSessionStore } from './session-store';
import type { SignedInPerson } from './sign-in';

const person: SignedInPerson = { subject: 'paivystaja', name: 'Päivi Päivystäjä', roles: ['operator'], idToken: 'header.payload.signature' };
const pending = { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-1' };

describe('console sessions in PostgreSQL', () => {
  let own: { url: string; drop: () => Promise<void> };
  let db: Database;

  beforeAll(async () => {
    own = await freshTestDatabase(process.env['DATABASE_URL']!, 'console');
    db = createDatabase({ url: own.url, applicationName: 'console-session-test', logger: createLogger({ service: 'console-test', level: 'silent' }) });
  });
  afterAll(async () => {
    await db.close();
    await own.drop();
  });

  it('gives a sign-in back once, with where the person was going', async () => {
    const store = sqlSessionStore(db);
    const id = await store.beginSignIn(pending, '/ui/dead-letters');
    expect(await store.takeSignIn(id)).toEqual({ ...pending, returnTo: '/ui/dead-letters' });
    expect(await store.takeSignIn(id)).toBeUndefined();
    expect(await store.takeSignIn('an id nobody was given')).toBeUndefined();
  });

  it('finds an open session by its cookie id, keeps only the id hash, and ends it at sign-out', async () => {
    const store = sqlSessionStore(db);
    const { id, session } = await store.open(person);
    expect(session).toMatchObject({ subject: 'paivystaja', name: 'Päivi Päivystäjä', roles: ['operator'] });
    expect(session.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(await store.find(id)).toEqual(session);
    const { rows } = await db.query<{ stored: string }>('SELECT row_to_json(s)::text AS stored FROM console_sessions s');
    expect(rows.map((r) => r.stored).join('')).not.toContain(id);
    expect(await store.close(id)).toEqual(session);
    expect(await store.find(id)).toBeUndefined();
  });

  it('ends a session idle too long or too old, and sweeps both away', async () => {
    const store = sqlSessionStore(db, { idleMinutes: 30, absoluteHours: 12 });
    const idle = await store.open(person);
    const old = await store.open(person);
    await db.query("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' WHERE csrf_token = $1", [idle.session.csrfToken]);
    await db.query("UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1", [old.session.csrfToken]);
    expect(await store.find(idle.id)).toBeUndefined();
    expect(await store.find(old.id)).toBeUndefined();
    const stale = await store.beginSignIn(pending, '/ui/');
    await db.query("UPDATE console_sign_ins SET expires_at = now() - interval '1 second'");
    expect(await store.takeSignIn(stale)).toBeUndefined();
    await store.beginSignIn(pending, '/ui/');
    await db.query("UPDATE console_sign_ins SET expires_at = now() - interval '1 second'");
    // Two ended sessions and two stale sign-ins (one found too late, one never taken).
    expect(await store.sweep()).toBe(4);
    expect(await store.sweep()).toBe(0);
  });
});
