import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { anonymousActor, systemActor, type Actor } from '../../platform/actor.js';
import { TLP_LABELS, type Tlp } from '../../platform/tlp.js';
import { visibleTo } from './access-filter.js';
import { canSee, type Recipient } from './domain/access-policy.js';
import { recipientsByRecord, setRecipients } from './service/recipients.js';

/**
 * The SQL filter and the policy function must agree on every actor and every record: this builds a
 * scratch table of records in every TLP × sharing combination and compares the two answers.
 */
describeEachDatabase('visibleTo agrees with canSee', (dialect) => {
  const get = useTestRuntime(dialect);

  it('on every TLP label and sharing combination, for every kind of actor', async () => {
    const { runtime, org, user } = get();
    const db = runtime.db.kysely;
    await db.schema
      .createTable('scratch_record')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();

    const owner = await org('vendor');
    const ownerColleague = await user(owner.orgId, 'viewer');
    const recipient = await org('operator');
    const served = await org('operator');
    const named = await org('researcher');
    const namedColleague = await user(named.orgId, 'analyst');
    const outsider = await org('agency');
    const coordinator = get().coordinatorAdmin;
    const coordinatorAnalyst = await user(coordinator.orgId, 'analyst');
    const coordinatorViewer = await user(coordinator.orgId, 'viewer');

    const sharings: { label: string; input: Parameters<typeof setRecipients>[2] }[] = [
      { label: 'none', input: {} },
      { label: 'org', input: { orgIds: [recipient.orgId] } },
      { label: 'org+served', input: { orgIds: [recipient.orgId], servedOrgIds: [served.orgId] } },
      { label: 'user', input: { userIds: [named.userId] } },
      { label: 'all', input: { orgIds: [recipient.orgId], servedOrgIds: [served.orgId], userIds: [named.userId] } },
    ];
    let n = 0;
    for (const tlp of TLP_LABELS) {
      for (const sharing of sharings) {
        for (const createdBy of [owner.userId, null]) {
          const id = `rec_${String(n++).padStart(3, '0')}_${tlp}_${sharing.label}`;
          await db.insertInto('scratch_record').values({ id, owner_org_id: owner.orgId, tlp, created_by: createdBy }).execute();
          await setRecipients(db, id, sharing.input);
        }
      }
    }

    const rows = (await db.selectFrom('scratch_record').selectAll().execute()) as {
      id: string;
      owner_org_id: string;
      tlp: Tlp;
      created_by: string | null;
    }[];
    const recipientsOf = await recipientsByRecord(
      db,
      rows.map((r) => r.id),
    );
    const actors: Actor[] = [
      anonymousActor,
      systemActor('cli'),
      ...[
        owner,
        ownerColleague,
        recipient,
        served,
        named,
        namedColleague,
        outsider,
        coordinator,
        coordinatorAnalyst,
        coordinatorViewer,
      ].map((u) => u.actor),
    ];
    for (const actor of actors) {
      const viaSql = (await db.selectFrom('scratch_record as t').select('t.id').where(visibleTo(actor, 't')).orderBy('t.id').execute()).map(
        (r: { id: string }) => r.id,
      );
      const viaPolicy = rows
        .filter((r) =>
          canSee(actor, {
            ownerOrgId: r.owner_org_id,
            tlp: r.tlp,
            createdBy: r.created_by,
            recipients: recipientsOf.get(r.id) ?? ([] as Recipient[]),
          }),
        )
        .map((r) => r.id)
        .sort();
      expect(viaSql, `actor ${actor.kind === 'user' ? actor.userId : actor.kind}`).toEqual(viaPolicy);
    }
    // The matrix is not trivial: some actors see some records and not others.
    const outsiderSees = (await db.selectFrom('scratch_record as t').select('t.id').where(visibleTo(outsider.actor, 't')).execute()).length;
    expect(outsiderSees).toBe(2 * 2 * sharings.length);
    // The coordinator's analysts read every record (DESIGN §5); its viewers only what the labels give them.
    const staffSees = (await db.selectFrom('scratch_record as t').select('t.id').where(visibleTo(coordinatorAnalyst.actor, 't')).execute())
      .length;
    expect(staffSees).toBe(rows.length);
    const viewerSees = (await db.selectFrom('scratch_record as t').select('t.id').where(visibleTo(coordinatorViewer.actor, 't')).execute())
      .length;
    expect(viewerSees).toBe(2 * 2 * sharings.length);
  });
});
