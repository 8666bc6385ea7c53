import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { parseSubmission } from '../../intake/index.js';
import { advisoryFromCsafFindings } from './advisory-from-findings.js';
import { csafDocument } from './csaf-document.js';
import { csafProblems } from './csaf-validation.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : name.endsWith('.json') ? [full] : [];
  });
}

const options = {
  publisher: { name: 'Clearinghouse Coordination Center', namespace: 'https://clearinghouse.example', contactDetails: null },
  at: '2026-07-20T21:00:00.000Z',
  engine: { name: 'Clearinghouse', version: '0.1.0' },
};

const GROUP: Record<string, string> = {
  known_affected: 'affected',
  first_affected: 'affected',
  last_affected: 'affected',
  known_not_affected: 'not_affected',
  fixed: 'fixed',
  first_fixed: 'fixed',
  recommended: 'fixed',
  under_investigation: 'under_investigation',
};

/** Per vulnerability, how many product status entries of each group: what a re-export must keep. */
function statusCounts(doc: unknown): Record<string, number>[] {
  const vulnerabilities = ((doc as Record<string, unknown>)['vulnerabilities'] ?? []) as Record<string, Record<string, string[]>>[];
  return vulnerabilities.map((v) => {
    const groups: Record<string, Set<string>> = {};
    for (const [status, ids] of Object.entries(v['product_status'] ?? {})) {
      const group = GROUP[status] ?? status;
      for (const id of ids) (groups[group] ??= new Set()).add(id);
    }
    return Object.fromEntries(Object.entries(groups).map(([group, ids]) => [group, ids.size]));
  });
}

async function roundTrip(file: string) {
  const bytes = readFileSync(file);
  const parsed = parseSubmission(bytes);
  const source = JSON.parse(bytes.toString('utf8')) as unknown;
  const out = csafDocument(advisoryFromCsafFindings(parsed, source, options));
  return { source, out, problems: await csafProblems(out) };
}

describeWithData('every OASIS CSAF 2.0 example imports through intake and re-exports to a valid document', 'csaf/csaf_2.0/examples', () => {
  const examples = files(sharedData('csaf/csaf_2.0/examples'));
  const csaf = examples.filter((f) => path.relative(sharedData('csaf/csaf_2.0/examples'), f).startsWith(`csaf${path.sep}`));

  it('finds the examples', () => {
    expect(csaf.length).toBeGreaterThanOrEqual(19);
  });

  for (const file of csaf) {
    it(path.relative(sharedData('csaf/csaf_2.0/examples'), file), async () => {
      const { source, out, problems } = await roundTrip(file);
      expect(problems).toEqual([]);
      expect(statusCounts(out)).toEqual(statusCounts(source));
    });
  }

  it('refuses the provider metadata, ROLIE and aggregator examples, naming what they are', () => {
    for (const file of examples.filter((f) => !csaf.includes(f))) {
      expect(() => parseSubmission(readFileSync(file)), file).toThrow(/provider metadata|ROLIE|aggregator/);
    }
  });
});

describeWithData('a real Red Hat CSAF VEX document re-exports to a valid document', 'csaf/redhat-real', () => {
  it('keeps every product status entry', async () => {
    const dir = sharedData('csaf/redhat-real/tools/redhat/testdata/CSAF');
    const smallest = readdirSync(dir)
      .map((name) => path.join(dir, name))
      .sort((a, b) => statSync(a).size - statSync(b).size)[0];
    if (smallest === undefined) throw new Error(`no Red Hat documents in ${dir}`);
    const { source, out, problems } = await roundTrip(smallest);
    expect(problems).toEqual([]);
    expect(statusCounts(out)).toEqual(statusCounts(source));
  });
});

describe('re-exported categories', () => {
  it('keep a VEX document a VEX document', () => {
    expect(
      advisoryFromCsafFindings(
        { format: 'csaf', formatVersion: '2.0', documentId: 'X', findings: [], warnings: [], suggestedTlp: 'CLEAR', vex: true },
        {},
        options,
      ).category,
    ).toBe('csaf_vex');
  });
});
