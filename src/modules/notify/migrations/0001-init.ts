import type { Migration } from '../../../platform/db/index.js';

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    // An organisation's webhook receiver: where, with which secret, filtered how, and its circuit breaker.
    await db.schema
      .createTable('notify_endpoint')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('identity_org.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      // The secrets that sign, newest first (JSON array of `whsec_…`); the previous one signs too until
      // `previous_secret_until`, so that receivers rotate without dropping a message.
      .addColumn('secrets', caps.types.json, (c) => c.notNull())
      .addColumn('previous_secret_until', caps.types.timestamp)
      .addColumn('event_types', caps.types.json, (c) => c.notNull())
      .addColumn('tlp_ceiling', 'text', (c) => c.notNull())
      .addColumn('sectors', caps.types.json)
      .addColumn('products', caps.types.json)
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('breaker_status', 'text', (c) => c.notNull())
      .addColumn('breaker_failures', 'integer', (c) => c.notNull())
      .addColumn('breaker_trips', 'integer', (c) => c.notNull())
      .addColumn('breaker_open_until', caps.types.timestamp)
      .addColumn('created_by', 'text')
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('deleted_at', caps.types.timestamp)
      .execute();
    await db.schema.createIndex('notify_endpoint_org').on('notify_endpoint').columns(['org_id', 'id']).execute();

    // One notification per receiving organisation: its inbox entry, and the body every webhook of it carries.
    await db.schema
      .createTable('notify_notification')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('identity_org.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      // What makes it the same notification again (a consumer run twice): unique per organisation.
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('source_event_id', 'text')
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('facets', caps.types.json, (c) => c.notNull())
      // The exact bytes signed and sent: `{"type", "timestamp", "data"}`.
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('read_at', caps.types.timestamp)
      .addColumn('read_by', 'text')
      .addUniqueConstraint('notify_notification_dedup', ['org_id', 'dedup_key'])
      .execute();
    await db.schema.createIndex('notify_notification_inbox').on('notify_notification').columns(['org_id', 'id']).execute();
    await db.schema.createIndex('notify_notification_subject').on('notify_notification').columns(['subject_id', 'type']).execute();

    // One (notification, endpoint) pair: its id is the `webhook-id` every attempt carries.
    await db.schema
      .createTable('notify_delivery')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('notification_id', 'text', (c) => c.notNull().references('notify_notification.id'))
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('notify_endpoint.id'))
      .addColumn('org_id', 'text', (c) => c.notNull())
      // pending → (claimed by a lease) → delivered | dead; cancelled when the endpoint is deleted.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      // Attempts made before the last replay: the backoff counts from here, the attempt log goes on.
      .addColumn('retry_base', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('first_attempt_at', caps.types.timestamp)
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', caps.types.timestamp)
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', caps.types.timestamp)
      .addColumn('dead_at', caps.types.timestamp)
      .addColumn('dead_reason', 'text')
      .addColumn('replays', 'integer', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .addUniqueConstraint('notify_delivery_pair', ['notification_id', 'endpoint_id'])
      .execute();
    await db.schema.createIndex('notify_delivery_due').on('notify_delivery').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('notify_delivery_endpoint').on('notify_delivery').columns(['endpoint_id', 'status', 'id']).execute();

    // Every attempt, claimed before it is made: the unique (delivery, attempt) pair is what keeps two
    // dispatchers from making the same attempt.
    await db.schema
      .createTable('notify_attempt')
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('notify_delivery.id'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('worker', 'text', (c) => c.notNull())
      .addColumn('started_at', caps.types.timestamp, (c) => c.notNull())
      // sending → success | failure | abandoned (its worker vanished and the delivery was claimed again).
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer')
      .addPrimaryKeyConstraint('notify_attempt_pk', ['delivery_id', 'attempt'])
      .execute();

    // Destinations a coordinator admin allowed although they are not public addresses.
    await db.schema
      .createTable('notify_allowlist')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cidr', 'text', (c) => c.notNull().unique())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();

    // Remediation of one advisory on one asset of one operator.
    await db.schema
      .createTable('notify_remediation')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('identity_org.id'))
      .addColumn('advisory_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('asset_name', 'text', (c) => c.notNull())
      .addColumn('sector', 'text')
      .addColumn('notification_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('mitigation', 'text')
      .addColumn('justification', 'text')
      .addColumn('expires_at', caps.types.timestamp)
      .addColumn('note', 'text')
      .addColumn('decision', 'text')
      .addColumn('due_at', caps.types.timestamp)
      // `due_at`, or the far future when there is none: a non-null key to sort and page by.
      .addColumn('due_sort', caps.types.timestamp, (c) => c.notNull())
      .addColumn('notified_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('acknowledged_at', caps.types.timestamp)
      .addColumn('closed_at', caps.types.timestamp)
      .addColumn('last_reminder_at', caps.types.timestamp)
      .addColumn('reported_at', caps.types.timestamp)
      .addColumn('reported_by', 'text')
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .addUniqueConstraint('notify_remediation_item', ['org_id', 'advisory_id', 'asset_id'])
      .execute();
    await db.schema.createIndex('notify_remediation_advisory').on('notify_remediation').columns(['advisory_id', 'org_id']).execute();
    await db.schema.createIndex('notify_remediation_due').on('notify_remediation').columns(['org_id', 'due_sort', 'id']).execute();

    // Every report, for the coordinators' share-over-time view and the audit of who said what.
    await db.schema
      .createTable('notify_remediation_event')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('notify_remediation.id'))
      .addColumn('advisory_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('details', caps.types.json, (c) => c.notNull())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notify_remediation_event_advisory')
      .on('notify_remediation_event')
      .columns(['advisory_id', 'at'])
      .execute();

    // The server's key for signed remediation links (one row, created on first use).
    await db.schema
      .createTable('notify_link_key')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
  },
};
