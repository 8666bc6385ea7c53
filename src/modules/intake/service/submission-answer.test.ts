import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { nativeDocument, nativeFinding, osvRecord } from '../test-support/native.js';
import { getSubmission, submitDocument } from './submissions.js';

describeEachDatabase('the answer to a submission', (dialect) => {
  const get = useTestRuntime(dialect);

  it('is what reading the stored submission back answers: new, duplicates seen and hidden, in order', async () => {
    const { as, org, clock } = get();
    const lab = await org('model_developer');
    const agency = await org('agency');
    const hidden = {
      title: 'Path traversal in the export',
      cwe: ['CWE-22'],
      location: { path: 'shopfront/export.py', function: 'export' },
    };
    const seen = { title: 'XSS in the profile page', cwe: ['CWE-79'], location: { path: 'shopfront/profile.py', function: 'render' } };
    // The lab's own earlier report (visible to it) and another organisation's unshared one (hidden from it).
    await submitDocument(as(lab), { bytes: nativeDocument([nativeFinding(seen)]) });
    await submitDocument(as(agency), { bytes: nativeDocument([nativeFinding(hidden)], { tool: { name: 'otherscan', version: '2' } }) });
    clock.advance(60_000);
    const fresh = { title: 'SSRF in the webhook test', cwe: ['CWE-918'], location: { path: 'shopfront/hooks.py', function: 'ping' } };
    const answer = await submitDocument(as(lab), {
      bytes: nativeDocument([nativeFinding(fresh), nativeFinding(hidden), nativeFinding(seen), nativeFinding(fresh), nativeFinding()]),
    });
    expect(answer.findings.map((f) => [f.outcome, f.firstReportHidden])).toEqual([
      ['new', false],
      ['duplicate', true],
      ['duplicate', false],
      ['duplicate', false],
      ['new', false],
    ]);
    expect(answer).toEqual(await getSubmission(as(lab), answer.submission.id));
  });

  it('names the surviving cluster when a finding merges two', async () => {
    const { as, org } = get();
    const researcher = await org('researcher');
    await submitDocument(as(researcher), { bytes: osvRecord('PYSEC-2026-9', ['CVE-2026-9000']) });
    await submitDocument(as(researcher), { bytes: osvRecord('GHSA-zzzz-bbbb-cccc', []) });
    const answer = await submitDocument(as(researcher), { bytes: osvRecord('OSV-2026-99', ['CVE-2026-9000', 'GHSA-zzzz-bbbb-cccc']) });
    expect(answer).toEqual(await getSubmission(as(researcher), answer.submission.id));
  });
});
