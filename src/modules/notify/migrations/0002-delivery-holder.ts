import type { Migration } from '../../../platform/db/index.js';

/**
 * Who holds a delivery's lease (as platform_job records it), so that a restarted server gives its dead
 * predecessor's deliveries back at once instead of after the lease's minute.
 */
export const deliveryHolder: Migration = {
  name: '0002_delivery_holder',
  async up(db) {
    await db.schema.alterTable('notify_delivery').addColumn('lease_instance', 'text').execute();
    await db.schema.alterTable('notify_delivery').addColumn('lease_boot_id', 'text').execute();
    await db.schema.alterTable('notify_delivery').addColumn('lease_pid_ns', 'text').execute();
    await db.schema.alterTable('notify_delivery').addColumn('lease_pid', 'integer').execute();
    await db.schema.alterTable('notify_delivery').addColumn('lease_started', 'text').execute();
  },
};
