import pg from 'pg';
import type { Logger } from '@polku/service-kit';
import { migrate } from '@polku/infra';
import { translate } from './errors';

/** What runs SQL: the database itself, or one transaction of it. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

export interface Database extends Sql {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** A connection of its own, outside the pool's turn-taking: for LISTEN and session locks. */
  connect(): Promise<pg.PoolClient>;
  /** Waits for the queries in flight, then closes every connection. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Shows in `pg_stat_activity`, so an operator sees which service holds a connection. */
  applicationName: string;
  logger: Logger;
  /**
   * The deadline of every call: connecting, and each statement (server-side `statement_timeout`
   * and the client's own read timeout). Past it the call fails with DATABASE_UNAVAILABLE instead of
   * waiting on a database that is down or stuck. @defaultValue 2000
   */
  timeoutMs?: number;
  /** @defaultValue 10 */
  maxConnections?: number;
}

/**
 * The one PostgreSQL pool of a process. Every failure that means "the database is not there"
 * surfaces as `DatabaseUnavailable` (503, retryable); everything else as it is.
 */
export function createDatabase(options: DatabaseOptions): Database {
  const timeoutMs = options.timeoutMs ?? 2000;
  const pool = new pg.Pool({
    connectionString: options.url,
    application_name: options.applicationName,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 500,
    idle_in_transaction_session_timeout: 10 * timeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection that breaks (the server restarted) must not take the process down.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'an idle database connection failed; it is replaced on next use'));

  const query: Sql['query'] = async <Row>(text: string, values?: readonly unknown[]) => {
    try {
      return (await pool.query(text, values as unknown[])) as unknown as { rows: Row[]; rowCount: number | null };
    } catch (error) {
      return translate(error);
    }
  };

  return {
    query,
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        return translate(error);
      }
      let broken = false;
      // A checked-out client has no listener of the pool's: the server ending the connection
      // between two queries (a restart) would be an unhandled 'error' and take the process down.
      const onError = (error: Error) => {
        broken = true;
        options.logger.warn({ err: error }, 'a database connection failed in the middle of a transaction; the transaction fails');
      };
      client.on('error', onError);
      const tx: Sql = {
        query: async <Row>(text: string, values?: readonly unknown[]) => {
          try {
            return (await client.query(text, values as unknown[])) as unknown as { rows: Row[]; rowCount: number | null };
          } catch (error) {
            broken = true;
            return translate(error);
          }
        },
      };
      try {
        await tx.query('BEGIN');
        const result = await work(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        // A connection that failed mid-transaction is not given to the next caller.
        client.off('error', onError);
        client.release(broken);
      }
    },
    async connect() {
      try {
        return await pool.connect();
      } catch (error) {
        return translate(error);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * How a service opens its database at start: brings the schema to the newest version (waiting its
 * turn when others start at once), then opens the pool with the configured deadline.
 */
export async function openServiceDatabase(settings: { DATABASE_URL: string; POLKU_DATABASE_TIMEOUT_MS: number; POLKU_DATABASE_POOL_SIZE: number }, service: string, logger: Logger): Promise<Database> {
  const applied = await migrate(settings.DATABASE_URL);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  return createDatabase({ url: settings.DATABASE_URL, applicationName: service, logger, timeoutMs: settings.POLKU_DATABASE_TIMEOUT_MS, maxConnections: settings.POLKU_DATABASE_POOL_SIZE });
}
