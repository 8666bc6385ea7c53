import { expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { submitDocument } from '../../intake/index.js';
import { findingsDocument } from '../../validation/test-support/scene.js';
import { TLP_LABELS, type Tlp } from '../../../platform/tlp.js';
import { exportShared } from './exports.js';

const OFFICIAL_GREEN_OR_CLEAR = new Set([
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
]);
const OFFICIAL_AMBER_RED = [
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
];

interface Submitted {
  readonly key: number;
  readonly tlp: Tlp;
  readonly canary: string;
  clusterId: string;
}

/** Random reports by two organisations: five vulnerabilities, each reported at random labels to random recipients. */
async function randomWorld(t: TestRuntime, seed: number) {
  const next = seededRandom(seed);
  const a = await t.org('researcher');
  const b = await t.org('vendor');
  const green = await t.org('operator', { sectors: ['water'] });
  const submitted: Submitted[] = [];
  for (let i = 0; i < 10; i++) {
    const key = Math.floor(next() * 5);
    const tlp = TLP_LABELS[Math.floor(next() * TLP_LABELS.length)] as Tlp;
    const [reporter, other] = next() < 0.5 ? [a, b] : [b, a];
    const canary = `canary${seed}x${i}${tlp.replace('+', '')}`;
    const finding = {
      title: `Injection ${canary}`,
      description: `Seen by ${canary}.`,
      target: { purl: 'pkg:pypi/shopfront@2.3.1' },
      cwe: ['CWE-78'],
      location: { path: `shop/module_${seed}_${key}.py`, function: `handler_${key}` },
      aliases: [`CVE-2026-${9000 + seed * 10 + key}`],
    };
    const answer = await submitDocument(t.as(reporter), {
      bytes: findingsDocument([finding]),
      tlp,
      recipients: tlp === 'RED' ? { userIds: [other.userId] } : next() < 0.5 ? { orgIds: [other.orgId] } : {},
    });
    submitted.push({ key, tlp, canary, clusterId: answer.findings[0]?.clusterId ?? '' });
  }
  await t.runtime.jobs.drain();
  return { green, submitted };
}

describeEachDatabase('exports are filtered by the recipient’s entitlements', (dialect) => {
  const get = useTestRuntime(dialect);

  it('an export for a GREEN-only recipient holds nothing AMBER or RED, whoever exports it (property test)', async () => {
    const t = get();
    // GREEN reaches every member organisation: each world's open reports stay visible to the next worlds' orgs.
    const all: Submitted[] = [];
    for (const seed of [1, 2, 3]) {
      const { green, submitted } = await randomWorld(t, seed);
      all.push(...submitted);
      const open = all.filter((s) => s.tlp === 'CLEAR' || s.tlp === 'GREEN');
      const closed = all.filter((s) => !(s.tlp === 'CLEAR' || s.tlp === 'GREEN'));
      const expectedClusters = [...new Set(open.map((s) => s.clusterId))].sort();
      for (const ctx of [t.as(t.coordinatorAdmin), t.as(green)]) {
        const recipientOrgId = ctx.actor.kind === 'user' && ctx.actor.orgId === green.orgId ? undefined : green.orgId;
        const stix = await exportShared(ctx, { format: 'stix', recipientOrgId });
        const bundle = JSON.parse(stix.body) as { objects: Record<string, unknown>[] };
        for (const o of bundle.objects) {
          if (o.type === 'marking-definition') expect(OFFICIAL_GREEN_OR_CLEAR.has(String(o.id))).toBe(true);
          else for (const ref of (o.object_marking_refs as string[]) ?? []) expect(OFFICIAL_GREEN_OR_CLEAR.has(ref)).toBe(true);
        }
        for (const id of OFFICIAL_AMBER_RED) expect(stix.body).not.toContain(id);
        for (const s of closed) expect(stix.body).not.toContain(s.canary);
        const exported = bundle.objects
          .filter((o) => o.type === 'vulnerability')
          .map(
            (o) =>
              (o.external_references as { source_name: string; external_id: string }[]).find((r) => r.source_name === 'clearinghouse')
                ?.external_id,
          )
          .sort();
        expect(exported).toEqual(expectedClusters);
        expect(stix.counts).toMatchObject({ AMBER: 0, 'AMBER+STRICT': 0, RED: 0 });

        const csv = await exportShared(ctx, { format: 'csv', recipientOrgId });
        for (const s of closed) expect(csv.body).not.toContain(s.canary);
        expect(csv.body).not.toMatch(/TLP:(AMBER|RED)/);
        expect(csv.body.trimEnd().split('\r\n').length).toBe(expectedClusters.length + 1);
      }
    }
  });

  it('exports for another organisation are coordinator staff’s to make, and each one is audited', async () => {
    const t = get();
    const { green } = await randomWorld(t, 7);
    const outsider = await t.org('vendor');
    await expect(exportShared(t.as(outsider), { format: 'stix', recipientOrgId: green.orgId })).rejects.toMatchObject({
      code: 'not-allowed',
    });
    await expect(exportShared(t.as(green), { format: 'pdf' })).rejects.toMatchObject({ code: 'invalid-input' });
    await exportShared(t.as(t.coordinatorAdmin), { format: 'csv', recipientOrgId: green.orgId });
    const audit = await t.runtime.db.kysely
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'governance.export.create')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]?.diff))).toMatchObject({ format: 'csv', recipientOrgId: green.orgId });
  });
});
