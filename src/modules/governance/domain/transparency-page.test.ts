import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { DEFAULT_RETENTION_TABLE } from './retention-table.js';
import { composeTransparency } from './transparency-metrics.js';
import { renderTransparencyPage, TRANSPARENCY_PAGE_CSP } from './transparency-page.js';

const metrics = composeTransparency({
  from: '2026-06',
  to: '2026-08',
  lent: [
    {
      series: { key: 'reportsReceived', title: 'Reports received', unit: 'count', note: 'findings received' },
      figures: [{ month: '2026-06', value: 4, n: 4 }],
    },
    {
      series: { key: 'duplicateShare', title: 'Share of reports that were duplicates', unit: 'share', note: 'duplicates' },
      figures: [{ month: '2026-06', value: 0.5, n: 4 }],
    },
    {
      series: { key: 'modelReviewsOpened', title: 'Frontier model reviews opened', unit: 'count', note: 'reviews <opened>' },
      figures: [{ month: '2026-07', value: 1, n: 1 }],
    },
  ],
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

it('draws a labelled chart and a table per lent figure, with its note and withheld figures marked', () => {
  expect(page.match(/<svg\s[^>]*role="img"/g)).toHaveLength(3);
  expect(page).toContain('<td>2026-06</td>');
  // June: 4 reports, half duplicates; July: one review opened → withheld.
  expect(page).toMatch(/<td>2026-06<\/td>\s*<td>4<\/td>/);
  expect(page).toMatch(/<td>2026-06<\/td>\s*<td>50<\/td>/);
  expect(page).toMatch(/<td>2026-07<\/td>\s*<td>withheld<\/td>/);
  expect(page).toContain('reviews &lt;opened&gt;.');
});
