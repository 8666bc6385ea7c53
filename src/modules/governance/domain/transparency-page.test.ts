import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { DEFAULT_RETENTION_TABLE } from './retention-table.js';
import { transparencyMetrics } from './transparency-metrics.js';
import { renderTransparencyPage, TRANSPARENCY_PAGE_CSP } from './transparency-page.js';

const metrics = transparencyMetrics({
  from: '2026-06',
  to: '2026-08',
  reports: [1, 2, 3, 4].map((d) => ({ receivedAt: `2026-06-0${d}T00:00:00Z`, duplicate: d % 2 === 0 })),
  clusters: [],
  remediations: [],
  reviews: [{ openedAt: '2026-07-01T00:00:00Z', daysUsed: null }],
  coverage: [],
  sources: { vendorNotification: false, fix: false, operatorPatch: true, scanCoverage: false },
});

const page = renderTransparencyPage({
  title: 'Clearinghouse <transparency>',
  generatedAt: '2026-09-01T00:00:00.000Z',
  metrics,
  retention: {
    version: 2,
    table: { rules: { ...DEFAULT_RETENTION_TABLE.rules, advisory: { keep: true, reason: '<script>alert(1)</script>' } } },
  },
});

it('carries no script, and its one stylesheet is exactly the one its CSP hashes', () => {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/\son[a-z]+=/i);
  const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
  expect(styles).toHaveLength(1);
  const hash = createHash('sha256')
    .update(styles[0] ?? '')
    .digest('base64');
  expect(TRANSPARENCY_PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
  expect(TRANSPARENCY_PAGE_CSP).toContain("default-src 'none'");
});

it('escapes everything that comes from data', () => {
  expect(page).toContain('Clearinghouse &lt;transparency&gt;');
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
});

it('draws a labelled chart and a table per metric, with withheld figures marked and missing sources named', () => {
  expect(page.match(/<svg\s[^>]*role="img"/g)).toHaveLength(10);
  expect(page).toContain('<td>2026-06</td>');
  // June: 4 reports, half duplicates; July: one review opened → withheld.
  expect(page).toMatch(/<td>2026-06<\/td>\s*<td>4<\/td>/);
  expect(page).toMatch(/<td>2026-06<\/td>\s*<td>50<\/td>/);
  expect(page).toMatch(/<td>2026-07<\/td>\s*<td>withheld<\/td>/);
  expect(page).toContain('Not yet measured in this installation: time from first report to vendor notification');
  expect(page).not.toContain("time from an operator's notification to its patched status");
});
