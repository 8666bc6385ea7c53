/**
 * The scanning page's leases, blackout windows and coverage gaps in Chromium: who sees which section, who
 * is offered which action (the API's permissions, not the page's guess), and that each passes axe at laptop
 * and tablet widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadSbom } from '../../src/modules/inventory/index.js';
import { cycloneDx } from '../../src/modules/inventory/test-support/fixtures.js';
import { claimLease, declareAsset } from '../../src/modules/scanning/index.js';
import type { TestUser } from '#test-support/runtime.js';
import { SHOTS, expectAccessible, expectFitsTablet, skipReason, startConsole, type Console } from './harness.js';

const ASSET = 'Substation gateway';

describe.skipIf(skipReason !== null)('leases, blackout windows and coverage gaps in Chromium', () => {
  let c: Console;
  let operator: TestUser;
  let operatorViewer: TestUser;
  let labA: TestUser;
  let labB: TestUser;

  beforeAll(async () => {
    c = await startConsole();
    const { t } = c;
    operator = await t.org('operator', { sectors: ['energy'] });
    operatorViewer = await t.user(operator.orgId, 'viewer');
    labA = await t.org('researcher');
    labB = await t.org('researcher');
    await declareAsset(t.as(operator), { name: ASSET, timeZone: 'America/Chicago', targets: ['10.20.0.0/24'] });
    const sbom = cycloneDx(['left-pad', 'lodash'].map((n) => ({ name: n, version: '1.0.0', purl: `pkg:npm/${n}@1.0.0` })));
    await uploadSbom(t.as(operator), { asset: { name: 'EMS', sector: 'energy' }, bytes: Buffer.from(sbom) });
    await claimLease(t.as(labA), { target: 'pkg:npm/lodash', technique: 'fuzzing', seconds: 900 });
    await c.passwords(operator, operatorViewer, labA, labB);
  });

  afterAll(async () => {
    await c?.close();
  });

  it('lets an operator admin add and remove a blackout window on its asset and shows its coverage gaps', async () => {
    const page = await c.signedIn(operator);
    await page.goto(`${c.base}/scanning`);
    const asset = page.getByRole('article', { name: new RegExp(ASSET) });
    await asset.getByText('No blackout window.').waitFor();
    const form = page.getByRole('form', { name: `New blackout window for ${ASSET}` });
    await form.getByLabel('Starts (America/Chicago)').fill('2026-07-01T22:00');
    await form.getByLabel('Ends (America/Chicago)').fill('2026-07-02T04:00');
    await form.getByLabel('Reason').fill('Storm season switching');
    await form.getByRole('button', { name: 'Add the blackout window' }).click();
    await form.getByText('Added. No campaign collides with it.').waitFor();
    const window = asset.locator('ul.blackouts li');
    await expect
      .poll(() => window.textContent())
      .toContain('once 2026-07-01T22:00 – 2026-07-02T04:00 (America/Chicago) — Storm season switching');

    const gaps = page.locator('table.gaps');
    await expect.poll(() => gaps.locator('tbody tr td.target').allTextContents()).toEqual(['pkg:npm/left-pad', 'pkg:npm/lodash']);
    await expectAccessible(page, 'scanning (operator admin)');
    await expectFitsTablet(page, 'scanning (operator admin)');
    await page.screenshot({ path: `${SHOTS}/scanning-blackouts.png`, fullPage: true });

    await asset.getByRole('button', { name: /^Remove the window once 2026-07-01T22:00/ }).click();
    await asset.getByText('No blackout window.').waitFor();
  });

  it("shows an operator's viewer the windows and gaps but no action on them", async () => {
    const page = await c.signedIn(operatorViewer);
    await page.goto(`${c.base}/scanning`);
    await page.getByRole('article', { name: new RegExp(ASSET) }).waitFor();
    await page.locator('table.gaps').waitFor();
    expect(await page.getByRole('form', { name: /New blackout window/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove the window/ }).count()).toBe(0);
    // Nor may it claim a lease.
    await page.getByLabel('Target', { exact: true }).fill('pkg:npm/lodash');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('table', { name: /Live leases on/ }).waitFor();
    expect(await page.getByRole('form', { name: /^Claim / }).count()).toBe(0);
  });

  it('shows a lab its own lease to release, another lab only that the target is held, and neither the gaps nor any blackout', async () => {
    const other = await c.signedIn(labB);
    await other.goto(`${c.base}/scanning`);
    await other.getByLabel('Target', { exact: true }).fill('pkg:npm/lodash');
    await other.getByRole('button', { name: 'Look up' }).click();
    const held = other.getByRole('table', { name: 'Live leases on pkg:npm/lodash' });
    await expect.poll(() => held.locator('tbody tr').textContent()).toContain('another organisation');
    expect(await held.getByRole('button').count()).toBe(0);
    expect(await other.getByRole('heading', { name: 'Blackout windows' }).count()).toBe(0);
    expect(await other.getByRole('heading', { name: 'Coverage gaps' }).count()).toBe(0);
    // It may claim another technique on the same target.
    const claim = other.getByRole('form', { name: 'Claim pkg:npm/lodash' });
    await claim.getByLabel('Technique').selectOption('sast');
    await claim.getByRole('button', { name: 'Claim the lease' }).click();
    await claim.getByText(/^Leased until/).waitFor();
    await expect.poll(() => held.locator('tbody tr').count()).toBe(2);
    await expectAccessible(other, 'scanning leases (lab)');
    await expectFitsTablet(other, 'scanning leases (lab)');

    const page = await c.signedIn(labA);
    await page.goto(`${c.base}/scanning`);
    await page.getByLabel('Target', { exact: true }).fill('pkg:npm/lodash');
    await page.getByRole('button', { name: 'Look up' }).click();
    const mine = page.getByRole('table', { name: 'Live leases on pkg:npm/lodash' }).getByRole('row', { name: /fuzzing/ });
    await mine.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Live leases on pkg:npm/lodash' }).locator('tbody tr').count()).toBe(1);
  });
});
