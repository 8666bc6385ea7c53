import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/index.js';

/**
 * A finding's normalized data stored as written (`jsonAsWritten`: PostgreSQL's `json`, not `jsonb`). No query
 * looks inside it — every reader takes the whole text and parses it here, and the one search over it (an
 * alias among the reports a reader may see) reads it as text — so jsonb's binary form bought nothing and
 * cost a parse of every finding on insert (issue 14: intake's server CPU 54 → 46 µs per finding). Readers get
 * the same values: a row stored before keeps the text jsonb printed for it, a new one the text intake wrote.
 *
 * PostgreSQL rewrites the table and its indexes, holding it locked: 2.8 s for 100,000 findings (156 MB, 1.1 s
 * of server CPU, at load 10). Nothing to do where the two types are one.
 */
export const findingDataAsWritten: Migration = {
  name: '0006_finding_data_as_written',
  async up(db, caps) {
    if (caps.types.jsonAsWritten === caps.types.json) return;
    const type = sql.raw(caps.types.jsonAsWritten);
    await sql`alter table intake_finding alter column data type ${type} using cast(data as ${type})`.execute(db);
  },
};
