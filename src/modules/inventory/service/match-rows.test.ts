import { describe, expect, it } from 'vitest';
import { AdvisoryIndex } from '../domain/match-index.js';
import { parseSbom } from '../domain/sbom-parse.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';
import { componentRows, forwardMatchRows, forwardVerdicts } from './match-rows.js';

// An upload matches its components before taking the inventory lock and uses that match under the lock only
// when the indexes have not moved since: the rows are those a match under the lock would have given.
describe('forward match computed before the lock', () => {
  const components = componentRows('sbom_1', parseSbom(cycloneDx([pypi('alpha', '1.0'), pypi('beta', '1.0')])));
  const owner = { assetId: 'ast_1', orgId: 'org_1' };
  const at = '2026-06-02T12:00:00.000Z';
  const indexes = (seq: number, ...names: string[]) => {
    const advisories = new AdvisoryIndex();
    for (const name of names) advisories.upsert(osvRecord(`PYSEC-${name}`, 'PyPI', name, [{ introduced: '0' }, { fixed: '2.0' }]));
    return { seq, advisories };
  };

  it('keeps the early verdicts while the indexes stand at the same change', () => {
    const early = forwardVerdicts(components, indexes(7, 'alpha'));
    const rows = forwardMatchRows(components, early, indexes(7, 'alpha'), owner, at);
    expect(rows).toEqual(forwardMatchRows(components, forwardVerdicts(components, indexes(7, 'alpha')), indexes(7, 'alpha'), owner, at));
    expect(rows.map((r) => [r.purl, r.advisory_id, r.status, r.matched_at])).toEqual([
      ['pkg:pypi/alpha@1.0', 'PYSEC-alpha', 'affected', at],
    ]);
    // Used, not recomputed: indexes at the same change are taken to hold what the early match saw (here they
    // are made to differ, which no real change sequence allows, so that using them shows).
    const reused = forwardMatchRows(components, early, indexes(7, 'alpha', 'beta'), owner, at);
    expect(reused.map((r) => [r.purl, r.advisory_id])).toEqual([['pkg:pypi/alpha@1.0', 'PYSEC-alpha']]);
  });

  it('matches again when a change arrived between the early match and the lock', () => {
    const early = forwardVerdicts(components, indexes(7, 'alpha'));
    const rows = forwardMatchRows(components, early, indexes(8, 'alpha', 'beta'), owner, at);
    expect(rows.map((r) => [r.purl, r.advisory_id])).toEqual([
      ['pkg:pypi/alpha@1.0', 'PYSEC-alpha'],
      ['pkg:pypi/beta@1.0', 'PYSEC-beta'],
    ]);
  });
});
