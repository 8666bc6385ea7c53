/**
 * The near-duplicate diff on the cluster page in Chromium (read only): two reports of one flaw worded a
 * little differently are proposed as candidates, and the diff marks the facts that differ and only those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitDocument } from '../../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../../src/modules/intake/test-support/native.js';
import { expectAccessible, skipReason, startConsole, type Console } from './harness.js';

const TEXT =
  'The search endpoint concatenates the user supplied query string into a SQL statement, allowing injection of arbitrary SQL through the q parameter of the orders search view';

describe.skipIf(skipReason !== null)('the near-duplicate diff in Chromium', () => {
  let c: Console;
  let one: string;

  beforeAll(async () => {
    c = await startConsole();
    const { t } = c;
    const lab = await t.org('researcher');
    const vendor = await t.org('vendor');
    const report = (title: string, description: string, fn: string) =>
      nativeDocument([
        nativeFinding({
          title,
          description,
          target: { purl: 'pkg:pypi/shopfront@2.3.1' },
          location: { path: 'src/orders.py', function: fn },
        }),
      ]);
    one = (await submitDocument(t.as(lab), { bytes: report('SQL injection in order search', TEXT, 'search_orders'), tlp: 'GREEN' }))
      .findings[0]!.clusterId;
    await submitDocument(t.as(vendor), { bytes: report('Order search SQLi', `${TEXT}.`, 'find_orders'), tlp: 'GREEN' });
    await t.runtime.jobs.drain();
    await c.passwords(t.coordinatorAdmin);
  });

  afterAll(async () => {
    await c?.close();
  });

  it('shows the two clusters side by side with the differing facts marked', async () => {
    const page = await c.signedIn(c.t.coordinatorAdmin);
    await page.goto(`${c.base}/clusters/${one}`);
    await page.getByRole('heading', { name: 'Near-duplicate candidates' }).waitFor();
    await page.getByRole('button', { name: /^Compare with / }).click();
    const diff = page.getByRole('table', { name: /side by side/ });
    await diff.waitFor();
    const marked = await diff.locator('tr.differs th').allTextContents();
    expect(marked).toEqual(['Title (differs)', 'Reports (differs)']);
    await expect.poll(() => diff.getByRole('row', { name: /^Reports/ }).textContent()).toContain('Order search SQLi');
    await expectAccessible(page, 'cluster page with the diff open');
  });
});
