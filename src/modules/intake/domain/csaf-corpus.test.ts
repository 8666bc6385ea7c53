import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { CSAF_PRODUCT_STATUSES } from './finding.js';
import { parseSubmission } from './parse-submission.js';
import { arr, corpusFiles, obj, readJson, shortName } from '../test-support/corpus.js';

/** The OASIS CSAF examples, the real Red Hat advisories and the OASIS validator test files. */

/** Product id → its helper and, for relationships, the platform id, read straight from the file. */
function productTable(doc: unknown): Map<string, { purl?: unknown; cpe?: unknown; platform?: unknown }> {
  const table = new Map<string, { purl?: unknown; cpe?: unknown; platform?: unknown }>();
  const walk = (branches: unknown) => {
    for (const b of arr(branches)) {
      const product = obj(obj(b)['product']);
      if (typeof product['product_id'] === 'string') table.set(product['product_id'], { ...obj(product['product_identification_helper']) });
      walk(obj(b)['branches']);
    }
  };
  const tree = obj(obj(doc)['product_tree']);
  walk(tree['branches']);
  for (const r of arr(tree['relationships']).map(obj)) {
    const component = table.get(String(r['product_reference']));
    table.set(String(obj(r['full_product_name'])['product_id']), {
      purl: component?.purl,
      cpe: component?.cpe,
      platform: r['relates_to_product_reference'],
    });
  }
  return table;
}

function expectedFindings(doc: unknown) {
  return arr(obj(doc)['vulnerabilities']).flatMap((v, i) =>
    CSAF_PRODUCT_STATUSES.flatMap((status) =>
      arr(obj(obj(v)['product_status'])[status]).map((id) => ({
        ref: `/vulnerabilities/${i}`,
        productId: id,
        status,
        cve: obj(v)['cve'] ?? null,
      })),
    ),
  );
}

describeWithData('CSAF 2.0: the shared corpus', 'csaf', () => {
  const advisories = [...corpusFiles('csaf/csaf_2.0/examples/csaf', /\.json$/), ...corpusFiles('csaf/redhat-real', /\.json$/)];

  it('holds the 19 OASIS example advisories and the 5 Red Hat files', () => {
    expect(advisories).toHaveLength(24);
  });

  it.each(advisories.map((f) => [shortName(f), f]))('%s: one finding per vulnerability × product status entry', (_name, file) => {
    const doc = readJson(file);
    const parsed = parseSubmission(readFileSync(file));
    expect(parsed.documentId).toBe(obj(obj(obj(doc)['document'])['tracking'])['id']);
    expect(
      parsed.findings.map((f) => ({
        ref: f.ref,
        productId: f.productId,
        status: f.productStatus?.status,
        cve: f.aliases.find((a) => a.source === 'record')?.id ?? null,
      })),
    ).toEqual(expectedFindings(doc));
    const table = productTable(doc);
    for (const finding of parsed.findings) {
      const product = table.get(finding.productId ?? '');
      if (typeof product?.purl === 'string') expect(finding.targets.some((t) => t.kind === 'package')).toBe(true);
      if (typeof product?.platform === 'string') {
        expect(finding.productStatus?.product.platform?.id).toBe(product.platform);
        expect(finding.productStatus?.product.platform?.cpe ?? null).toBe(table.get(product.platform)?.cpe ?? null);
      }
    }
  });

  it('reads the largest Red Hat file (1.6 MB) with every product resolved', () => {
    const file = sharedData('csaf/redhat-real/tools/redhat/testdata/CSAF/rhsa-2024_4420.json');
    const parsed = parseSubmission(readFileSync(file));
    expect(parsed.findings).toHaveLength(expectedFindings(readJson(file)).length);
    expect(parsed.warnings.filter((w) => w.detail.includes('does not define'))).toEqual([]);
  });

  it('refuses ROLIE feeds, provider and aggregator metadata as not advisories', () => {
    const files = ['ROLIE', 'aggregator', 'provider-metadata'].flatMap((d) => corpusFiles(`csaf/csaf_2.0/examples/${d}`, /\.json$/));
    expect(files).toHaveLength(8);
    for (const file of files) expect(() => parseSubmission(readFileSync(file)), shortName(file)).toThrow(UnsupportedMediaTypeError);
  });

  // Where @secvisogram/csaf-validator-lib (the validator DESIGN §7 chose) disagrees with the OASIS suite.
  // Listed here so the gap stays visible; the test below fails once the library closes it.
  const LIBRARY_GAPS: Record<string, string> = {
    'mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-26-04.json':
      '§6.1.26: the library does not remove "_" before comparing, so category "csafsecurityadvisory" passes',
  };

  it('reports each failing mandatory test of the OASIS validator suite, and none for its valid files', () => {
    const testcases = obj(readJson(sharedData('csaf/csaf_2.0/test/validator/data/testcases.json')));
    const mandatory = arr(testcases['tests'])
      .map(obj)
      .filter((t) => t['group'] === 'mandatory');
    expect(mandatory.length).toBeGreaterThan(30);
    const misses: string[] = [];
    for (const test of mandatory) {
      const label = `CSAF ${String(test['id'])}:`;
      for (const [entries, shouldFail] of [
        [test['failures'], true],
        [test['valid'], false],
      ] as const) {
        for (const entry of arr(entries).map(obj)) {
          const file = sharedData('csaf/csaf_2.0/test/validator/data', String(entry['name']));
          let flagged: boolean;
          try {
            flagged = parseSubmission(readFileSync(file)).warnings.some((w) => w.detail.startsWith(label));
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            flagged = true;
          }
          if (String(entry['name']) in LIBRARY_GAPS) flagged = !flagged;
          if (flagged !== shouldFail) misses.push(`${String(entry['name'])} (${label} expected ${shouldFail ? 'a failure' : 'none'})`);
        }
      }
    }
    expect(misses).toEqual([]);
  });
});
