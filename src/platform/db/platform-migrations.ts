import { sql } from 'kysely';
import type { ModuleMigrations } from './migrations.js';

/** The platform's own tables: blobs (when stored in the database), jobs, and the event outbox. */
export const platformMigrations: ModuleMigrations = {
  module: 'platform',
  migrations: [
    {
      name: '0001_blobs_jobs',
      async up(db, caps) {
        await db.schema
          .createTable('platform_blob')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('size', caps.types.bigint, (c) => c.notNull())
          .addColumn('content', caps.types.binary, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('platform_job')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', caps.types.json, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('dedup_key', 'text', (c) => c.unique())
          .addColumn('run_at', caps.types.timestamp, (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', caps.types.timestamp)
          .addColumn('last_error', 'text')
          .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
          .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
          .addColumn('finished_at', caps.types.timestamp)
          .execute();
        await db.schema.createIndex('platform_job_due').on('platform_job').columns(['status', 'run_at']).execute();
      },
    },
    {
      name: '0002_events',
      async up(db, caps) {
        await db.schema
          .createTable('platform_event')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull())
          .addColumn('org_id', 'text')
          .addColumn('payload', caps.types.json, (c) => c.notNull())
          .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('platform_event_subject').on('platform_event').columns(['subject_id', 'created_at']).execute();
        await db.schema.createIndex('platform_event_type').on('platform_event').columns(['type', 'created_at']).execute();
      },
    },
    {
      // Who holds a job's lease, so that a restarted server releases its dead predecessor's leases at once.
      name: '0003_job_lease_holder',
      async up(db) {
        await db.schema.alterTable('platform_job').addColumn('lease_instance', 'text').execute();
        await db.schema.alterTable('platform_job').addColumn('lease_boot_id', 'text').execute();
        await db.schema.alterTable('platform_job').addColumn('lease_pid', 'integer').execute();
        await db.schema.createIndex('platform_job_lease_instance').on('platform_job').columns(['lease_instance', 'status']).execute();
      },
    },
    {
      // When a blob's bytes were last stored: the sweeper removes only unreferenced blobs older than its grace.
      name: '0004_blob_stored_at',
      async up(db, caps) {
        await db.schema.alterTable('platform_blob').addColumn('stored_at', caps.types.timestamp).execute();
        await db.updateTable('platform_blob').set({ stored_at: new Date().toISOString() }).execute();
      },
    },
    {
      // A lease holder's pid namespace and start time: a pid is judged dead only where it means the same process.
      name: '0005_job_lease_process',
      async up(db) {
        await db.schema.alterTable('platform_job').addColumn('lease_pid_ns', 'text').execute();
        await db.schema.alterTable('platform_job').addColumn('lease_started', 'text').execute();
      },
    },
    {
      // The work a job belongs to (the request that caused it, through every job in between): what a caller
      // waits for after an import, and what `jobs status` counts for an organisation.
      name: '0006_job_work',
      async up(db) {
        await db.schema.alterTable('platform_job').addColumn('work_id', 'text').execute();
        await db.schema.alterTable('platform_job').addColumn('work_kind', 'text').execute();
        await db.schema.alterTable('platform_job').addColumn('work_org_id', 'text').execute();
        await db.schema.createIndex('platform_job_work').on('platform_job').columns(['work_id', 'status']).execute();
        await db.schema.createIndex('platform_job_work_org').on('platform_job').columns(['work_org_id', 'status']).execute();
      },
    },
    {
      // Time-sensitive work (webhook dispatch) is claimed before bulk work queued earlier: the soak queued
      // thousands of matching and scoring jobs, and deliveries waited behind all of them.
      name: '0007_job_priority',
      async up(db) {
        await db.schema
          .alterTable('platform_job')
          .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.dropIndex('platform_job_due').execute();
        await db.schema
          .createIndex('platform_job_claim')
          .on('platform_job')
          .expression(sql`status, priority desc, run_at, id`)
          .execute();
      },
    },
    {
      // The admission gauge counts the due backlog of the kinds the servers run every second: the claim index
      // has no kind, so it read every queued job's row (36 ms at 10k jobs). With this one the count is two
      // ranges per kind within the index (jobs/backlog.ts).
      name: '0008_job_backlog',
      async up(db) {
        await db.schema.createIndex('platform_job_backlog').on('platform_job').columns(['kind', 'status', 'run_at']).execute();
      },
    },
    {
      // Every change stores its events, and the server reads none of them back by subject or type (their
      // consumers get them in job payloads): the two indexes only cost writes. The subject one most of all,
      // its subjects being random: a SBOM upload's some 50 exposure events dirtied some 50 of its pages, 1.1 ms
      // of a commit's 1.2 on a soak's database (issue 20). `eventsAbout` (tests) reads the table instead.
      name: '0009_event_indexes_dropped',
      async up(db) {
        await db.schema.dropIndex('platform_event_subject').execute();
        await db.schema.dropIndex('platform_event_type').execute();
      },
    },
  ],
};
