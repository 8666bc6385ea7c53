import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.js';
import { useTestRuntime } from '../../../../test/support/runtime.js';
import { nativeDocument, nativeFinding, osvRecord } from '../test-support/native.js';
import { submitDocument } from './submissions.js';

const ALIKE = {
  summary: 'Prototype pollution in shopfront merge helpers',
  details: 'Crafted keys passed to the merge helper reach the object prototype and change every object of the process.',
};

/** An OSV record whose wording is the same whatever its id: only the id tells two of them apart. */
const alikeAdvisory = (id: string, aliases: string[]) => osvRecord(id, aliases, undefined, ALIKE);

describeEachDatabase('intake identity with partial information', (dialect) => {
  const get = useTestRuntime(dialect);

  async function candidates(): Promise<{ cluster_id: string; other_cluster_id: string; reason: string }[]> {
    return get()
      .runtime.db.kysely.selectFrom('intake_candidate')
      .select(['cluster_id', 'other_cluster_id', 'reason'])
      .orderBy('id')
      .execute() as Promise<{ cluster_id: string; other_cluster_id: string; reason: string }[]>;
  }

  it('does not propose two advisories with different CVE ids as near duplicates, however alike their words', async () => {
    const { as, org, runtime } = get();
    const lab = await org('researcher');
    const one = await submitDocument(as(lab), { bytes: alikeAdvisory('PYSEC-2026-1', ['CVE-2026-1000']) });
    const two = await submitDocument(as(lab), { bytes: alikeAdvisory('PYSEC-2026-2', ['CVE-2026-2000']) });
    expect(one.findings[0]?.clusterId).not.toBe(two.findings[0]?.clusterId);
    // A report naming no id, in the same words, is proposed: the refusal is the ids', not the wording's.
    const three = await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding({
          title: ALIKE.summary,
          description: ALIKE.details,
          cwe: [],
          location: undefined,
        }),
      ]),
    });
    await runtime.jobs.drain();
    const proposed = await candidates();
    const pairs = proposed.map((c) => [c.cluster_id, c.other_cluster_id].sort().join('|'));
    const cluster = (a: typeof one) => a.findings[0]?.clusterId ?? '';
    expect(pairs).not.toContain([cluster(one), cluster(two)].sort().join('|'));
    expect(pairs).toContain([cluster(one), cluster(three)].sort().join('|'));
  });
});
