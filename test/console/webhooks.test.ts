/**
 * The webhooks page in Chromium: an operator's admin registers a webhook (its secret shown once), sends a
 * test, disables it and changes its event filters; a viewer of the same organisation reads it with no action
 * offered; another organisation never sees it; the coordinator's admin keeps the allow-list of non-public
 * destinations, which nobody else is shown. axe at laptop and tablet widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAllowlistEntry } from '../../src/modules/notify/index.js';
import type { TestUser } from '#test-support/runtime.js';
import { SHOTS, expectAccessible, expectFitsTablet, skipReason, startConsole, type Console } from './harness.js';

// A loopback port nothing listens on, allow-listed by the coordinator: deliveries fail, registration does not.
const URL = 'http://127.0.0.1:9/clearinghouse-hook';

describe.skipIf(skipReason !== null)('webhooks in Chromium', () => {
  let c: Console;
  let admin: TestUser;
  let viewer: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    c = await startConsole();
    const { t } = c;
    admin = await t.org('operator');
    viewer = await t.user(admin.orgId, 'viewer');
    other = await t.org('operator');
    await addAllowlistEntry(t.as(t.coordinatorAdmin), { cidr: '127.0.0.1/32', note: 'console test receiver' });
    await c.passwords(admin, viewer, other, t.coordinatorAdmin);
  });

  afterAll(async () => {
    await c?.close();
  });

  it("lets an organisation's admin register, test and disable a webhook, and shows its secret once", async () => {
    const page = await c.signedIn(admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByText('No webhook.').waitFor();
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('URL').fill(URL);
    await form.getByLabel('Events (comma-separated)').fill('advisory.*, webhook.test');
    await form.getByLabel('Description').fill('Grid operations');
    await form.getByRole('button', { name: 'Register the webhook' }).click();
    await expect.poll(() => page.locator('p.secret').textContent()).toMatch(/shown this once: whsec_/);
    const hook = page.getByRole('article', { name: URL });
    await expect.poll(() => hook.locator('dl').textContent()).toContain('advisory.*, webhook.test');
    await hook.getByRole('button', { name: `Send a test to ${URL}` }).click();
    await hook.getByText('Test message queued.').waitFor();
    await hook.getByRole('button', { name: `Disable ${URL}` }).click();
    await hook.getByRole('button', { name: `Enable ${URL}` }).waitFor();
    await expectAccessible(page, 'webhooks (admin)');
    await expectFitsTablet(page, 'webhooks (admin)');
    await page.screenshot({ path: `${SHOTS}/webhooks.png`, fullPage: true });
    // The secret is the API's answer to registering; a fresh page never shows it again.
    await page.reload();
    await hook.waitFor();
    expect(await page.locator('p.secret').count()).toBe(0);
  });

  it('shows a viewer the webhook without any action, and another organisation nothing of it', async () => {
    const page = await c.signedIn(viewer);
    await page.goto(`${c.base}/webhooks`);
    const hook = page.getByRole('article', { name: URL });
    await hook.waitFor();
    expect(await hook.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('form', { name: 'New webhook' }).count()).toBe(0);

    const outsider = await c.signedIn(other);
    await outsider.goto(`${c.base}/webhooks`);
    await outsider.getByText('No webhook.').waitFor();
    expect((await outsider.locator('main').textContent()) ?? '').not.toContain(URL);
  });

  it("lets the admin change the webhook's event filters: events, TLP ceiling, sectors and products", async () => {
    const page = await c.signedIn(admin);
    await page.goto(`${c.base}/webhooks`);
    const filters = page.getByRole('form', { name: `Event filters of ${URL}` });
    await filters.getByLabel(/^Events/).fill('advisory.published');
    await filters.getByLabel('Up to TLP').selectOption('GREEN');
    await filters.getByLabel(/^Sectors/).fill('energy, water');
    await filters.getByLabel(/^Products/).fill('pkg:pypi/django\npkg:npm/lodash');
    await filters.getByRole('button', { name: `Save the filters of ${URL}` }).click();
    await filters.getByRole('status').filter({ hasText: 'Filters saved: advisory.published.' }).waitFor();
    const facts = page.getByRole('article', { name: URL }).locator('dl');
    await expect.poll(() => facts.textContent()).toContain('Eventsadvisory.published');
    expect(await facts.textContent()).toContain('Up toTLP:GREEN');
    expect(await facts.textContent()).toContain('Sectorsenergy, water');
    expect(await facts.textContent()).toContain('Productspkg:pypi/django, pkg:npm/lodash');
    // Emptied, a limit means all again.
    await filters.getByLabel(/^Sectors/).fill('');
    await filters.getByRole('button', { name: `Save the filters of ${URL}` }).click();
    await expect.poll(() => facts.textContent()).toContain('Sectorsall');
    // Only the coordinator is shown the allow-list.
    expect(await page.getByRole('heading', { name: 'Allowed non-public destinations' }).count()).toBe(0);
    await expectAccessible(page, 'webhook filters');
  });

  it("shows the coordinator's admin the allow-list to add a block to and remove it from", async () => {
    const page = await c.signedIn(c.t.coordinatorAdmin);
    await page.goto(`${c.base}/webhooks`);
    const list = page.getByRole('region', { name: 'Allowed non-public destinations' });
    // The loopback block allowed for this test (the test runtime may allow it too).
    await list.getByRole('cell', { name: '127.0.0.1/32', exact: true }).first().waitFor();
    const form = page.getByRole('form', { name: 'Allow a destination block' });
    await form.getByLabel('Block (CIDR)').fill('10.20.0.0/16');
    await form.getByLabel('Note').fill('plant network relay');
    await form.getByRole('button', { name: 'Allow the block' }).click();
    await list.getByRole('cell', { name: 'plant network relay' }).waitFor();
    await expectAccessible(page, 'webhook allow-list');
    await expectFitsTablet(page, 'webhook allow-list');
    await list.getByRole('button', { name: 'Remove 10.20.0.0/16' }).click();
    await expect.poll(() => list.getByRole('cell', { name: '10.20.0.0/16' }).count()).toBe(0);
    expect(await list.getByRole('cell', { name: '127.0.0.1/32', exact: true }).count()).toBeGreaterThan(0);
  });
});
