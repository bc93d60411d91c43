import type { Sql } from '@polku/db';

/** The consumer group of one generation of a projection. */
export function groupOf(name: string, generation: number): string {
  return `projection.${name}.g${generation}`;
}

const TABLE = /^[a-z_][a-z0-9_]*$/;

/** Registers the projection (and the tables it owns) and gives its current generation, 1 the first time. */
export async function registerProjection(db: Sql, name: string, tables: readonly string[]): Promise<number> {
  const bad = tables.filter((t) => !TABLE.test(t));
  if (bad.length > 0) throw new Error(`projection ${name}: table names must be plain identifiers, got ${bad.join(', ')}`);
  const { rows } = await db.query<{ generation: number }>(
    `INSERT INTO projection_state (name, tables) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET tables = EXCLUDED.tables RETURNING generation`,
    [name, tables],
  );
  return rows[0]!.generation;
}

export async function currentGeneration(db: Sql, name: string): Promise<number> {
  const { rows } = await db.query<{ generation: number }>('SELECT generation FROM projection_state WHERE name = $1', [name]);
  if (!rows[0]) throw new Error(`no projection ${name} is registered`);
  return rows[0].generation;
}

/** How far a generation has read: next offset per `topic/partition`. */
export async function progressOf(db: Sql, name: string, generation: number): Promise<Map<string, bigint>> {
  const { rows } = await db.query<{ topic: string; partition: number; next_offset: string }>(
    'SELECT topic, partition, next_offset FROM projection_offsets WHERE projection = $1 AND generation = $2', [name, generation]);
  return new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
}

/**
 * Empties the projection and moves it to a new generation, in one transaction: its tables, the
 * events it marked handled and its progress go; its next consumer group reads from the start.
 * Instances running it notice and switch within their watch interval.
 * @returns the new generation, or undefined when `from` is given and another instance moved on already
 */
export async function rebuild(tx: Sql, name: string, from?: number): Promise<number | undefined> {
  const { rows } = await tx.query<{ generation: number; tables: string[] }>('SELECT generation, tables FROM projection_state WHERE name = $1 FOR UPDATE', [name]);
  const state = rows[0];
  if (!state) throw new Error(`no projection ${name} is registered (it registers when its service first starts)`);
  if (from !== undefined && state.generation !== from) return undefined;
  if (state.tables.length > 0) await tx.query(`TRUNCATE ${state.tables.filter((t) => TABLE.test(t)).join(', ')}`);
  await tx.query('DELETE FROM projection_handled WHERE projection = $1', [name]);
  await tx.query('DELETE FROM projection_offsets WHERE projection = $1', [name]);
  const next = await tx.query<{ generation: number }>('UPDATE projection_state SET generation = generation + 1, rebuilt_at = now() WHERE name = $1 RETURNING generation', [name]);
  await tx.query("SELECT pg_notify('polku_projection', $1)", [name]);
  return next.rows[0]!.generation;
}
