import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { clusterCountsForTarget } from './clusters.js';
import { submitDocument } from './submissions.js';

describeEachDatabase('cluster counts for a target', (dialect) => {
  const get = useTestRuntime(dialect);

  it('count only the clusters the caller may see, by state', async () => {
    const { as, org, coordinatorAdmin } = get();
    const lab = await org('model_developer');
    const other = await org('agency');
    await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding(),
        nativeFinding({ title: 'XSS', cwe: ['CWE-79'], location: { path: 'shopfront/profile.py' } }),
      ]),
      tlp: 'AMBER',
    });
    await submitDocument(as(other), {
      bytes: nativeDocument([nativeFinding({ target: { purl: 'pkg:pypi/otherlib@1.0' } })]),
      tlp: 'AMBER',
    });
    expect(await clusterCountsForTarget(as(lab), 'pkg:pypi/shopfront')).toEqual({ received: 2 });
    expect(await clusterCountsForTarget(as(coordinatorAdmin), 'pkg:pypi/shopfront')).toEqual({ received: 2 });
    expect(await clusterCountsForTarget(as(other), 'pkg:pypi/shopfront')).toEqual({});
    expect(await clusterCountsForTarget(as(other), 'pkg:pypi/otherlib')).toEqual({ received: 1 });
  });
});
