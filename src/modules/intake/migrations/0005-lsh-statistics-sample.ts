import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/index.js';

/**
 * PostgreSQL gathers `intake_lsh`'s statistics from 3,000 sampled rows instead of 30,000 (statistics target
 * 10 instead of 100 on each column). The near-duplicate job analyzes the table whenever it has grown by a
 * fifth (keepStatisticsFresh), about 17 times while it grows to the 1.25 M rows of 100,000 findings, and each
 * analysis of the full sample read pages all over the table: 0.7 s at 1.25 M rows, against 0.065 s at this
 * target. What the planner needs from it — that a bucket has about one row, so a lookup by bucket is an index
 * lookup — a small sample tells as well (n_distinct is estimated as -1, all distinct, either way). Nothing
 * to do where the planner needs no statistics.
 */
export const lshStatisticsSample: Migration = {
  name: '0005_lsh_statistics_sample',
  async up(db, caps) {
    if (!caps.plannerNeedsStatistics) return;
    for (const column of ['bucket', 'finding_id', 'cluster_id'])
      await sql`alter table intake_lsh alter column ${sql.ref(column)} set statistics 10`.execute(db);
  },
};
