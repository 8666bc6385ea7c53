import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData } from '#test-support/shared-data.js';
import { InputError, UnsupportedMediaTypeError } from '../../platform/errors.js';
import { getCluster } from './service/clusters.js';
import { submitDocument } from './service/submissions.js';
import { arr, corpusFiles, obj, shortName } from './test-support/corpus.js';

/**
 * The real corpora through the whole service — parse, store, deduplicate — on both databases. The only
 * refusals allowed are the ones listed here, each for the schema rule it breaks (the domain corpus tests
 * show the rule); anything else refused is an unexplained failure.
 */
const EXPECTED_REFUSALS: Record<string, RegExp> = {
  // The deliberately invalid log of github/codeql-action.
  'sarif/codeql-action/src/testdata/invalid-sarif.sarif': /\/runs\/0\/results must be array/,
};

async function importAll(submit: (file: string) => Promise<{ clusterIds: string[] }>, files: string[]) {
  const clusters = new Map<string, string[]>();
  const refused: string[] = [];
  for (const file of files) {
    try {
      clusters.set(file, (await submit(file)).clusterIds);
    } catch (error) {
      if (!(error instanceof InputError || error instanceof UnsupportedMediaTypeError)) throw error;
      const expected = EXPECTED_REFUSALS[shortName(file)];
      if (expected === undefined || !expected.test(error.message)) refused.push(`${shortName(file)}: ${error.message}`);
    }
  }
  return { clusters, refused };
}

describeWithData('the real corpora through intake', 'sarif', () => {
  describeEachDatabase('import', (dialect) => {
    const get = useTestRuntime(dialect);

    it('imports every SARIF log, CSAF document and CVE record, and puts each CVE record with the OSV records naming it', async () => {
      const { as, org } = get();
      const scanner = as(await org('researcher'));
      const submit = async (file: string) => {
        const answer = await submitDocument(scanner, { bytes: readFileSync(file), filename: shortName(file) });
        return { clusterIds: answer.findings.map((f) => f.clusterId) };
      };

      const sarif = await importAll(
        submit,
        corpusFiles('sarif', /\.(sarif|golden|json)$/).filter((f) => !/schema/.test(f)),
      );
      expect(sarif.refused).toEqual([]);
      expect(sarif.clusters.size).toBeGreaterThanOrEqual(25);

      const csaf = await importAll(submit, [
        ...corpusFiles('csaf/csaf_2.0/examples', /\.json$/),
        ...corpusFiles('csaf/redhat-real', /\.json$/),
      ]);
      const csafRefusedForNotBeingAdvisories = csaf.refused.filter((r) => !/provider-metadata|aggregator|ROLIE|feed|not a CSAF/i.test(r));
      expect(csafRefusedForNotBeingAdvisories).toEqual([]);

      const cveFiles = corpusFiles('cve/records', /^CVE-.*\.json$/);
      const cves = await importAll(submit, cveFiles);
      expect(cves.refused).toEqual([]);
      expect(cves.clusters.size).toBe(500);

      // The OSV records that name one of these CVEs, found by reading the OSV files directly.
      const cveIds = new Set(cveFiles.map((f) => path.basename(f, '.json')));
      const naming = new Map<string, string[]>();
      for (const file of [...corpusFiles('osv/go', /\.json$/), ...corpusFiles('osv/pypi', /\.yaml$/)]) {
        const text = readFileSync(file, 'utf8');
        const doc = obj(file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text));
        for (const id of [doc['id'], ...arr(doc['aliases'])])
          if (typeof id === 'string' && cveIds.has(id)) naming.set(file, [...(naming.get(file) ?? []), id]);
      }
      expect(naming.size).toBeGreaterThanOrEqual(100);
      const osv = await importAll(submit, [...naming.keys()]);
      const clusterOfCve = new Map(cveFiles.map((f) => [path.basename(f, '.json'), cves.clusters.get(f)?.[0]]));
      const apart: string[] = [];
      for (const [file, ids] of naming) {
        const osvCluster = osv.clusters.get(file)?.[0];
        if (osvCluster === undefined) continue; // refused: accounted for in osv.refused below
        for (const id of ids) {
          // The CVE record's cluster may since have been merged into the OSV record's (or the other way).
          const cveCluster = await getCluster(get().system, clusterOfCve.get(id) ?? '');
          const osvDetail = await getCluster(get().system, osvCluster);
          const survivor = (c: typeof cveCluster) => c.mergedInto ?? c.id;
          if (survivor(cveCluster) !== survivor(osvDetail)) apart.push(`${id} apart from ${shortName(file)}`);
        }
      }
      expect(apart).toEqual([]);
      expect(osv.refused).toEqual([]);
      // About 1,100 documents through the whole service one by one: 25-35 s on a quiet 2-core machine for one
      // database, past the suite's 60 s per test when the machine is loaded (seen at load 10-15).
    }, 300_000);
  });
});
