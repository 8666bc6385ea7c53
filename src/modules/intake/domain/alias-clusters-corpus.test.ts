import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { clusterFindings, type IdentityItem } from './finding-clusters.js';
import { fingerprintFinding } from './fingerprint.js';
import { parseSubmission } from './parse-submission.js';
import { arr, corpusFiles, obj } from '../test-support/corpus.js';

/**
 * The cross-folder check: 100 of the 500 CVE records were chosen because Go or PyPI OSV records
 * name them as aliases. Which OSV files name which CVE is read straight from the OSV files here; the
 * clusters must put each CVE record together with all of them.
 */
describeWithData('identity clusters across the CVE records', 'cve/records', () => {
  describeWithData('and the Go and PyPI OSV records', 'osv', () => {
    it('puts every CVE record in one cluster with each OSV record that names it', () => {
      const osvFiles = [...corpusFiles('osv/go', /\.json$/), ...corpusFiles('osv/pypi', /\.yaml$/)];
      const cveFiles = corpusFiles('cve/records', /^CVE-.*\.json$/);
      const namedBy = new Map<string, string[]>();
      for (const file of osvFiles) {
        const text = readFileSync(file, 'utf8');
        const doc = obj(file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text));
        for (const id of [doc['id'], ...arr(doc['aliases'])]) {
          if (typeof id === 'string' && id.startsWith('CVE-')) namedBy.set(id, [...(namedBy.get(id) ?? []), file]);
        }
      }
      const items: IdentityItem[] = [];
      for (const file of [...cveFiles, ...osvFiles]) {
        let parsed;
        try {
          parsed = parseSubmission(readFileSync(file));
        } catch {
          continue; // The OSV corpus test accounts for the records that are refused.
        }
        for (const finding of parsed.findings)
          items.push({ key: file, aliases: finding.aliases, fingerprint: fingerprintFinding(finding)?.value ?? null });
      }
      const clusterOf = new Map<string, readonly string[]>();
      for (const cluster of clusterFindings(items)) for (const key of cluster.keys) clusterOf.set(key, cluster.keys);

      const selection = readFileSync(sharedData('cve/records/SELECTION.tsv'), 'utf8')
        .split('\n')
        .map((l) => l.split('\t'));
      const aliasGroup = selection.filter((row) => row[0] === 'osv-alias').map((row) => row[1] ?? '');
      expect(aliasGroup).toHaveLength(100);
      const parsedOsv = new Set(items.map((i) => i.key));
      const missing: string[] = [];
      let joined = 0;
      for (const file of cveFiles) {
        const cveId = path.basename(file, '.json');
        const expected = (namedBy.get(cveId) ?? []).filter((f) => parsedOsv.has(f));
        if (aliasGroup.includes(cveId) && expected.length === 0) missing.push(`${cveId}: no OSV record names it`);
        for (const osv of expected) {
          if (clusterOf.get(file)?.includes(osv)) joined++;
          else missing.push(`${cveId} not clustered with ${path.basename(osv)}`);
        }
      }
      expect(missing).toEqual([]);
      expect(joined).toBeGreaterThanOrEqual(100);
    });
  });
});
