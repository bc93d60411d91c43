import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '@polku/db';
import type { ConsoleRole, PendingSignIn, SignedInPerson } from './sign-in';

export interface ConsoleSession {
  subject: string;
  name: string;
  roles: ConsoleRole[];
  /** Every form and htmx request of this session carries it (`_csrf` or `x-csrf-token`). */
  csrfToken: string;
  idToken: string;
}

export interface SessionLimits {
  /** A session unused this long ends. @defaultValue 30 */
  idleMinutes?: number;
  /** A session ends this long after sign-in, used or not. @defaultValue 12 */
  absoluteHours?: number;
  /** A sign-in not finished this long is forgotten. @defaultValue 10 */
  signInMinutes?: number;
}

export interface SessionStore {
  /** Keeps a sign-in under way; returns the id for the person's sign-in cookie. */
  beginSignIn(pending: PendingSignIn, returnTo: string): Promise<string>;
  /** The sign-in of that cookie, once: a second call, or one after it expired, finds nothing. */
  takeSignIn(id: string): Promise<(PendingSignIn & { returnTo: string }) | undefined>;
  /** Opens a session; returns the id for the session cookie. */
  open(person: SignedInPerson): Promise<{ id: string; session: ConsoleSession }>;
  /** The live session of that cookie (and marks it used), or nothing. */
  find(id: string): Promise<ConsoleSession | undefined>;
  /** Ends it; returns what it was, for signing out at the provider too. */
  close(id: string): Promise<ConsoleSession | undefined>;
  /** Forgets ended sessions and stale sign-ins; returns how many rows went. */
  sweep(): Promise<number>;
}

const newId = () => randomBytes(32).toString('base64url');
const hashOf = (id: string) => createHash('sha256').update(id).digest();

interface SessionRow {
  subject: string;
  display_name: string;
  roles: ConsoleRole[];
  csrf_token: string;
  id_token: string;
}

const toSession = (row: SessionRow): ConsoleSession => ({ subject: row.subject, name: row.display_name, roles: row.roles, csrfToken: row.csrf_token, idToken: row.id_token });

/**
 * Sessions server-side in PostgreSQL: the browser holds only a random id, the database only its
 * hash, so neither a stolen backup nor a log line opens a session. Every call has the database's
 * deadline and fails as DATABASE_UNAVAILABLE (503) when it is away.
 */
export function sqlSessionStore(db: Sql, limits: SessionLimits = {}): SessionStore {
  const idle = `${limits.idleMinutes ?? 30} minutes`;
  const absolute = `${limits.absoluteHours ?? 12} hours`;
  const signInTtl = `${limits.signInMinutes ?? 10} minutes`;
  return {
    async beginSignIn(pending, returnTo) {
      const id = newId();
      await db.query(
        'INSERT INTO console_sign_ins (id_hash, state, nonce, code_verifier, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, now() + $6::interval)',
        [hashOf(id), pending.state, pending.nonce, pending.codeVerifier, returnTo, signInTtl],
      );
      return id;
    },
    async takeSignIn(id) {
      const { rows } = await db.query<{ state: string; nonce: string; code_verifier: string; return_to: string }>(
        'DELETE FROM console_sign_ins WHERE id_hash = $1 AND expires_at > now() RETURNING state, nonce, code_verifier, return_to',
        [hashOf(id)],
      );
      const row = rows[0];
      return row && { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
    },
    async open(person) {
      const id = newId();
      const session: ConsoleSession = { subject: person.subject, name: person.name, roles: person.roles, csrfToken: newId(), idToken: person.idToken };
      await db.query(
        'INSERT INTO console_sessions (id_hash, subject, display_name, roles, csrf_token, id_token, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval)',
        [hashOf(id), session.subject, session.name, session.roles, session.csrfToken, session.idToken, absolute],
      );
      return { id, session };
    },
    async find(id) {
      const { rows } = await db.query<SessionRow>(
        `UPDATE console_sessions SET last_seen_at = now()
          WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - $2::interval
          RETURNING subject, display_name, roles, csrf_token, id_token`,
        [hashOf(id), idle],
      );
      return rows[0] && toSession(rows[0]);
    },
    async close(id) {
      const { rows } = await db.query<SessionRow>('DELETE FROM console_sessions WHERE id_hash = $1 RETURNING subject, display_name, roles, csrf_token, id_token', [hashOf(id)]);
      return rows[0] && toSession(rows[0]);
    },
    async sweep() {
      const sessions = await db.query('DELETE FROM console_sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1::interval', [idle]);
      const signIns = await db.query('DELETE FROM console_sign_ins WHERE expires_at <= now()');
      return (sessions.rowCount ?? 0) + (signIns.rowCount ?? 0);
    },
  };
}
