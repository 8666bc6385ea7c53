import type { Migration } from '../../../platform/db/index.js';

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    // An operator's asset or system; its current SBOM version is its inventory.
    await db.schema
      .createTable('inventory_asset')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org_id', 'text', (c) => c.notNull().references('identity_org.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('sector', 'text')
      .addColumn('criticality', 'text', (c) => c.notNull())
      .addColumn('internet_facing', 'integer', (c) => c.notNull())
      .addColumn('current_sbom_id', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .addUniqueConstraint('inventory_asset_name', ['owner_org_id', 'name_key'])
      .execute();
    await db.schema.createIndex('inventory_asset_owner').on('inventory_asset').columns(['owner_org_id', 'id']).execute();

    await db.schema
      .createTable('inventory_sbom')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('asset_id', 'text', (c) => c.notNull().references('inventory_asset.id'))
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('blob_sha256', 'text', (c) => c.notNull())
      .addColumn('size', caps.types.bigint, (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('spec_version', 'text', (c) => c.notNull())
      .addColumn('serialization', 'text', (c) => c.notNull())
      .addColumn('document_name', 'text')
      .addColumn('component_count', 'integer', (c) => c.notNull())
      .addColumn('unmatched_count', 'integer', (c) => c.notNull())
      .addColumn('warnings', caps.types.json, (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('superseded_at', caps.types.timestamp)
      .addUniqueConstraint('inventory_sbom_version', ['asset_id', 'version'])
      .execute();

    // One row per SBOM component, in document order; identity resolved once at upload.
    await db.schema
      .createTable('inventory_component')
      .addColumn('sbom_id', 'text', (c) => c.notNull().references('inventory_sbom.id'))
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'text')
      .addColumn('purl', 'text')
      .addColumn('cpe', 'text')
      .addColumn('ecosystem', 'text')
      .addColumn('package_name', 'text')
      .addColumn('package_key', 'text')
      .addColumn('unmatched_reason', 'text')
      .addPrimaryKeyConstraint('inventory_component_pk', ['sbom_id', 'idx'])
      .execute();
    await db.schema.createIndex('inventory_component_package').on('inventory_component').columns(['sbom_id', 'package_key']).execute();

    // Advisories in OSV shape, with the TLP and owner the access policy reads (visibleTo).
    await db.schema
      .createTable('inventory_advisory')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_ref', 'text')
      .addColumn('modified', 'text')
      .addColumn('withdrawn', 'text')
      .addColumn('summary', 'text')
      .addColumn('aliases', caps.types.json, (c) => c.notNull())
      .addColumn('record', caps.types.json, (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('inventory_advisory_alias')
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('advisory_id', 'text', (c) => c.notNull().references('inventory_advisory.id'))
      .addPrimaryKeyConstraint('inventory_advisory_alias_pk', ['alias', 'advisory_id'])
      .execute();
    await db.schema.createIndex('inventory_advisory_alias_advisory').on('inventory_advisory_alias').column('advisory_id').execute();

    // Affected or undecidable (status 'unknown') component × advisory pairs of current SBOMs.
    await db.schema
      .createTable('inventory_match')
      .addColumn('sbom_id', 'text', (c) => c.notNull())
      .addColumn('component_idx', 'integer', (c) => c.notNull())
      .addColumn('advisory_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('purl', 'text')
      .addColumn('version', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('confidence', 'text', (c) => c.notNull())
      .addColumn('fixed', caps.types.json, (c) => c.notNull())
      .addColumn('reasons', caps.types.json, (c) => c.notNull())
      .addColumn('evidence', caps.types.json, (c) => c.notNull())
      .addColumn('matched_at', caps.types.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('inventory_match_pk', ['sbom_id', 'component_idx', 'advisory_id'])
      .execute();
    await db.schema.createIndex('inventory_match_advisory').on('inventory_match').columns(['advisory_id', 'owner_org_id']).execute();
    await db.schema.createIndex('inventory_match_owner').on('inventory_match').columns(['owner_org_id', 'advisory_id']).execute();
    await db.schema.createIndex('inventory_match_asset').on('inventory_match').columns(['asset_id', 'status']).execute();

    // The change log the per-process match indexes follow: one row per advisory or asset inventory change.
    await db.schema
      .createTable('inventory_change')
      .addColumn('seq', caps.types.bigint, (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .execute();
  },
};
