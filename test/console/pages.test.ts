/**
 * Scanning, frontier, governance and administration pages in Chromium: what each party sees there, that
 * another organisation's restricted records never appear, and that each page passes axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrant } from '../../src/modules/frontier/index.js';
import { frontierScene, type Scene } from '../../src/modules/frontier/test-support/scene.js';
import { placeHold } from '../../src/modules/governance/index.js';
import { registerCampaign } from '../../src/modules/scanning/index.js';
import { campaignInput } from '../../src/modules/scanning/test-support/campaigns.js';
import { distinctFinding, report } from '../../src/modules/validation/test-support/scene.js';
import type { TestUser } from '#test-support/runtime.js';
import { SHOTS, expectAccessible, expectFitsTablet, orgNameOf, skipReason, startConsole, type Console } from './harness.js';

const ALPHA = 'Alpha strict sweep';
const BRAVO = 'Bravo sweep';

describe.skipIf(skipReason !== null)('scanning, frontier, governance and administration in Chromium', () => {
  let c: Console;
  let labA: TestUser;
  let labB: TestUser;
  let frontier: Scene;

  beforeAll(async () => {
    c = await startConsole();
    const { t } = c;
    labA = await t.org('researcher');
    labB = await t.org('researcher');
    await registerCampaign(t.as(labA), campaignInput({ name: ALPHA, tlp: 'AMBER+STRICT' }));
    await registerCampaign(t.as(labB), campaignInput({ name: BRAVO, tlp: 'AMBER+STRICT' }));
    frontier = await frontierScene(t, { name: 'Nightingale' });
    await createGrant(t.as(frontier.lab), frontier.review.id, {
      granteeOrgId: frontier.agency.orgId,
      scope: 'hosted_api',
      expiresAt: frontier.review.windowEnd,
    });
    await placeHold(t.as(t.coordinatorAdmin), { scope: 'org', targetId: labA.orgId, reason: 'Litigation hold on the Alpha lab' });
    // Three reports this month: enough that the month's count is published (fewer are withheld) and charted.
    await report(t, labA, [distinctFinding(), distinctFinding(), distinctFinding()]);
    await c.passwords(t.coordinatorAdmin, labA, labB, frontier.lab, frontier.agency, frontier.partner);
  });

  afterAll(async () => {
    await c?.close();
  });

  it('shows the coordinator every campaign and their conflicts and lets it ask one to stop; a lab sees only its own AMBER+STRICT campaign and stops it', async () => {
    const page = await c.signedIn(c.t.coordinatorAdmin);
    await page.goto(`${c.base}/scanning`);
    await page.getByRole('heading', { name: ALPHA }).waitFor();
    await page.getByRole('heading', { name: BRAVO }).waitFor();
    await page.getByRole('img', { name: /Campaign windows/ }).waitFor();
    await page.getByRole('button', { name: `Show conflicts of ${ALPHA}` }).click();
    await expect.poll(() => page.locator('ul.conflicts').textContent()).toContain(BRAVO);
    const ask = page.getByRole('form', { name: `Ask ${BRAVO} to stop` });
    await ask.getByLabel('Reason to stop').fill('It scans a hospital during its blackout.');
    await ask.getByRole('button', { name: 'Ask to stop' }).click();
    await page.getByText("The owner's stop contact was told.").waitFor();
    await expectAccessible(page, 'scanning (coordinator)');
    await page.screenshot({ path: `${SHOTS}/scanning.png`, fullPage: true });

    const lab = await c.signedIn(labB);
    await lab.goto(`${c.base}/scanning`);
    await lab.getByRole('heading', { name: BRAVO }).waitFor();
    await lab.getByRole('button', { name: `Show conflicts of ${BRAVO}` }).click();
    await lab.locator('ul.conflicts, article p:text("No overlapping campaign.")').first().waitFor();
    expect((await lab.locator('main').textContent()) ?? '').not.toContain(ALPHA);
    expect(await lab.getByText('coordinator: It scans a hospital during its blackout.').count()).toBe(1);
    await lab.getByRole('button', { name: `Stop ${BRAVO}` }).click();
    await lab
      .getByRole('article')
      .getByText(/^stopped/)
      .waitFor();
  });

  it('shows the agency its grant to acknowledge and the review window; never a release gate; an outsider sees no review', async () => {
    const agency = await c.signedIn(frontier.agency);
    await agency.goto(`${c.base}/frontier`);
    await agency.getByRole('img', { name: /Review windows/ }).waitFor();
    const form = agency.getByRole('form', { name: /Acknowledge the terms/ });
    for (const box of await form.getByRole('checkbox').all()) await box.check();
    await form.getByRole('button', { name: 'Acknowledge the terms' }).click();
    await agency.getByText(/terms acknowledged/).waitFor();
    expect(await agency.getByRole('button', { name: /approve|block|gate/i }).count()).toBe(0);
    await expectAccessible(agency, 'frontier (agency)');
    await agency.screenshot({ path: `${SHOTS}/frontier.png`, fullPage: true });

    const outsider = await c.signedIn(frontier.partner);
    await outsider.goto(`${c.base}/frontier`);
    await outsider.getByText('No review you take part in.').waitFor();
    expect((await outsider.locator('main').textContent()) ?? '').not.toContain(frontier.model.id);
  });

  it('shows transparency charts with their tables to everyone, and holds and the retention plan to the coordinator only', async () => {
    const page = await c.signedIn(c.t.coordinatorAdmin);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    await page.goto(`${c.base}/governance`);
    // Drawn by the charting library (recharts), its bars there, and nothing refused by the page's policy.
    const chart = page.getByRole('img', { name: 'Reports received by month' });
    await chart.waitFor();
    expect(await chart.evaluate((e) => e.classList.contains('recharts-surface'))).toBe(true);
    await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    const figures = page.getByRole('table', { name: 'The figures behind the charts' });
    await figures.waitFor();
    // This month (the last row) counts the three reports.
    expect(await figures.locator('tbody tr').last().getByRole('cell').first().textContent()).toBe('3');
    expect(refused).toEqual([]);
    await page.getByText('Litigation hold on the Alpha lab').waitFor();
    await page.getByRole('heading', { name: 'Retention plan' }).waitFor();
    await expectAccessible(page, 'governance (coordinator)');
    await expectFitsTablet(page, 'governance (coordinator)');
    await page.screenshot({ path: `${SHOTS}/governance.png`, fullPage: true });

    const lab = await c.signedIn(labA);
    await lab.goto(`${c.base}/governance`);
    await lab.getByRole('table', { name: 'The figures behind the charts' }).waitFor();
    expect(await lab.getByRole('heading', { name: 'Legal holds' }).count()).toBe(0);
    expect((await lab.locator('main').textContent()) ?? '').not.toContain('Litigation hold');
  });

  it("lets the coordinator's admin create an organisation and its first user; another admin manages only its own users", async () => {
    const page = await c.signedIn(c.t.coordinatorAdmin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByLabel('Name', { exact: true }).first().fill('Openwire Foundation');
    await page.getByLabel('Kind').selectOption('vendor');
    await page.getByRole('button', { name: 'Create the organisation' }).click();
    await page.getByRole('heading', { name: 'Users of Openwire Foundation' }).waitFor();
    await page.getByRole('form', { name: 'New user' }).getByLabel('Name').fill('Ada Vendor');
    await page.getByLabel('E-mail').fill('ada@openwire.example');
    await page.getByRole('button', { name: 'Add the user' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Added ada@openwire.example');
    await page.getByRole('cell', { name: 'ada@openwire.example' }).waitFor();
    await expectAccessible(page, 'administration (coordinator)');

    const lab = await c.signedIn(labA);
    await lab.goto(`${c.base}/admin`);
    await lab.getByRole('heading', { name: `Users of ${await orgNameOf(c.t, labA)}` }).waitFor();
    expect(await lab.getByRole('heading', { name: 'Organisations' }).count()).toBe(0);
    expect((await lab.locator('main').textContent()) ?? '').not.toContain('Openwire');
  });
});
