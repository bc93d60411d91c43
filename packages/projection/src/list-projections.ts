import type { Sql } from '@polku/db';

/** What an operator sees of the projections: generation, tables, progress and the last rebuild. */
export interface ProjectionRow {
  name: string;
  generation: number;
  tables: string[];
  /** Records applied by the current generation (sum of next offsets over its partitions). */
  applied: number;
  rebuiltAt: Date | null;
}

export async function listProjections(db: Sql): Promise<ProjectionRow[]> {
  const { rows } = await db.query<{ name: string; generation: number; tables: string[]; applied: string | null; rebuilt_at: Date | null }>(
    `SELECT s.name, s.generation, s.tables, s.rebuilt_at,
            (SELECT sum(o.next_offset) FROM projection_offsets o WHERE o.projection = s.name AND o.generation = s.generation) AS applied
       FROM projection_state s ORDER BY s.name`,
  );
  return rows.map((r) => ({ name: r.name, generation: r.generation, tables: r.tables, applied: Number(r.applied ?? 0), rebuiltAt: r.rebuilt_at }));
}
