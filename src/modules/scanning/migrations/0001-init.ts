import type { Migration } from '../../../platform/db/index.js';

/**
 * Scanning's tables. Targets are stored with their version-free `target_key` (the identity intake keys
 * findings on) and, for networks, their bounds as fixed-width text (`net_low`, `net_high`: address order is
 * text order) and host names, so that candidates for an overlap are found by index on either database.
 */
export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    const ts = caps.types.timestamp;

    await db.schema
      .createTable('scanning_campaign')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('tool_name', 'text', (c) => c.notNull())
      .addColumn('tool_version', 'text', (c) => c.notNull())
      .addColumn('ai_assisted', 'integer', (c) => c.notNull())
      .addColumn('model_name', 'text')
      .addColumn('model_version', 'text')
      .addColumn('technique', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('window_start', ts, (c) => c.notNull())
      .addColumn('window_end', ts, (c) => c.notNull())
      .addColumn('requests_per_second', 'double precision')
      .addColumn('concurrency', 'integer')
      .addColumn('stop_contact', caps.types.json, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('state_changed_at', ts, (c) => c.notNull())
      .addColumn('stop_reason', 'text')
      // Raised on every change, under the scanning lock: the per-process overlap index follows it.
      .addColumn('seq', caps.types.bigint, (c) => c.notNull().unique())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scanning_campaign_owner').on('scanning_campaign').columns(['owner_org_id', 'id']).execute();
    await db.schema.createIndex('scanning_campaign_state').on('scanning_campaign').columns(['state', 'window_start']).execute();

    await db.schema
      .createTable('scanning_campaign_target')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('scanning_campaign.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('versions', 'text')
      .addColumn('net_low', 'text')
      .addColumn('net_high', 'text')
      .addColumn('host_name', 'text')
      .addPrimaryKeyConstraint('scanning_campaign_target_pk', ['campaign_id', 'position'])
      .execute();
    await db.schema.createIndex('scanning_campaign_target_key').on('scanning_campaign_target').columns(['target_key']).execute();
    await db.schema.createIndex('scanning_campaign_target_net').on('scanning_campaign_target').columns(['net_low', 'net_high']).execute();
    await db.schema.createIndex('scanning_campaign_target_host').on('scanning_campaign_target').columns(['host_name']).execute();

    // The operators' assets a campaign touches, found at registration: they see it and may ask it to stop.
    await db.schema
      .createTable('scanning_campaign_asset')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('scanning_campaign.id'))
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('operator_org_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scanning_campaign_asset_pk', ['campaign_id', 'asset_id'])
      .execute();
    await db.schema.createIndex('scanning_campaign_asset_asset').on('scanning_campaign_asset').columns(['asset_id']).execute();

    await db.schema
      .createTable('scanning_stop_request')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('scanning_campaign.id'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('requester_org_id', 'text', (c) => c.notNull())
      .addColumn('requester_user_id', 'text')
      .addColumn('asset_id', 'text')
      .addColumn('blackout_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('scanning_stop_request_campaign')
      .on('scanning_stop_request')
      .columns(['campaign_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('scanning_asset')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('active_scanning', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addUniqueConstraint('scanning_asset_name', ['owner_org_id', 'name'])
      .execute();

    await db.schema
      .createTable('scanning_asset_target')
      .addColumn('asset_id', 'text', (c) => c.notNull().references('scanning_asset.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('net_low', 'text')
      .addColumn('net_high', 'text')
      .addColumn('host_name', 'text')
      .addPrimaryKeyConstraint('scanning_asset_target_pk', ['asset_id', 'position'])
      .execute();
    await db.schema.createIndex('scanning_asset_target_key').on('scanning_asset_target').columns(['target_key']).execute();
    await db.schema.createIndex('scanning_asset_target_net').on('scanning_asset_target').columns(['net_low', 'net_high']).execute();
    await db.schema.createIndex('scanning_asset_target_host').on('scanning_asset_target').columns(['host_name']).execute();

    await db.schema
      .createTable('scanning_consent')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('asset_id', 'text', (c) => c.notNull().references('scanning_asset.id'))
      .addColumn('scanner_org_id', 'text', (c) => c.notNull())
      .addColumn('techniques', caps.types.json, (c) => c.notNull())
      .addColumn('window', caps.types.json)
      .addColumn('max_requests_per_second', 'double precision', (c) => c.notNull())
      .addColumn('max_concurrency', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scanning_consent_asset').on('scanning_consent').columns(['asset_id']).execute();

    await db.schema
      .createTable('scanning_blackout')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('asset_id', 'text', (c) => c.notNull().references('scanning_asset.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('window', caps.types.json, (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scanning_blackout_asset').on('scanning_blackout').columns(['asset_id']).execute();

    // One row per (target, technique): the current or last lease. A claim takes the row over only when it
    // has expired or was released, in one statement, so the database decides who holds a target.
    await db.schema
      .createTable('scanning_lease')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('technique', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('net_low', 'text')
      .addColumn('net_high', 'text')
      .addColumn('host_name', 'text')
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('campaign_id', 'text')
      .addColumn('claimed_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('released_at', ts)
      .addUniqueConstraint('scanning_lease_slot', ['target_key', 'technique'])
      .execute();
    await db.schema.createIndex('scanning_lease_net').on('scanning_lease').columns(['technique', 'net_low']).execute();
    await db.schema.createIndex('scanning_lease_campaign').on('scanning_lease').columns(['campaign_id']).execute();

    // Findings intake received that name a campaign of their submitter: what each campaign found.
    await db.schema
      .createTable('scanning_finding')
      .addColumn('finding_id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('scanning_campaign.id'))
      .addColumn('submission_id', 'text', (c) => c.notNull())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text')
      .addColumn('reported_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scanning_finding_campaign').on('scanning_finding').columns(['campaign_id']).execute();
    await db.schema.createIndex('scanning_finding_target').on('scanning_finding').columns(['target_key', 'reported_at']).execute();
  },
};
