/**
 * The case workspace in Chromium: what a coordinator and each vendor of one case see. A vendor reads the
 * common thread and its own channel with the coordinators, never another vendor's; the embargo's end is
 * written in UTC and in the reader's own zone; a vendor's statement is its own until approved and shared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPost } from '../../src/modules/cases/index.js';
import { caseWithVendors, type CaseScene } from '../../src/modules/cases/test-support/scene.js';
import { SHOTS, expectAccessible, orgNameOf, skipReason, startConsole, type Console } from './harness.js';

const COMMON = 'Thanks all: the fix window is being agreed.';
const FOR_A = 'Vendor A only: your patch ETA Friday is noted.';
const FOR_B = 'Vendor B only: we need your build number.';

describe.skipIf(skipReason !== null)('the case workspace in Chromium', () => {
  let c: Console;
  let scene: CaseScene;

  beforeAll(async () => {
    c = await startConsole();
    const { t } = c;
    scene = await caseWithVendors(t, 2);
    const coordinator = t.as(t.coordinatorAdmin);
    const [a, b] = scene.vendors;
    await createPost(coordinator, scene.opened.id, { body: COMMON });
    await createPost(coordinator, scene.opened.id, { channel: `org:${a!.orgId}`, body: FOR_A });
    await createPost(coordinator, scene.opened.id, { channel: `org:${b!.orgId}`, body: FOR_B });
    await c.passwords(t.coordinatorAdmin, a!, b!);
  });

  afterAll(async () => {
    await c?.close();
  });

  it("shows a vendor its own channel and the common thread, never another vendor's messages, and the embargo end in UTC and local time", async () => {
    const [a, b] = scene.vendors;
    const page = await c.signedIn(a!, { timezoneId: 'Asia/Tokyo', locale: 'en-US' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('link', { name: new RegExp(scene.opened.number) }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(scene.opened.number) }).waitFor();
    await page.getByText(COMMON).waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('TLP:AMBER');

    // The first vendor started the default embargo (45 days from the test clock's 2026-06-02 12:00 UTC).
    const embargo = page.locator('dl.embargo');
    expect(await embargo.textContent()).toContain('2026-07-17 12:00 UTC');
    // Tokyo is UTC+9 all year: the reader's own time is 21:00 the same day, zone named.
    expect(await embargo.textContent()).toMatch(/your time: Jul 17, 2026, 9:00\s?PM GMT\+9/);

    const channels = page.getByRole('group', { name: 'Channels' }).getByRole('button');
    expect(await channels.allTextContents()).toEqual(['Common thread', 'Your channel with the coordinators']);
    await page.getByRole('button', { name: 'Your channel with the coordinators' }).click();
    await page.getByText(FOR_A).waitFor();
    await page.getByLabel('Message').fill('Vendor A: the patch is in QA.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Vendor A: the patch is in QA.').waitFor();
    await expectAccessible(page, 'case workspace (vendor)');
    await page.screenshot({ path: `${SHOTS}/case-vendor.png`, fullPage: true });

    // A vendor states its status; another vendor does not read it (pending, not shared).
    await page.getByLabel('Status', { exact: true }).selectOption('fixed');
    await page.getByLabel('Product purl').fill('pkg:npm/%40acme/widget@2.4.0');
    await page.getByLabel('Fixed in (versions, comma-separated)').fill('2.4.1');
    await page.getByLabel('Where to get the fix (URL)').fill('https://acme.example/widget/2.4.1');
    await page.getByRole('button', { name: 'Save the statement' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Saved: fixed, version 1, pending.');

    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain(FOR_B);
    expect(text).not.toContain(b!.orgId);
    expect(text).not.toContain(await orgNameOf(c.t, b!));
    // The researcher's AMBER report is not the vendors': its title is not shown to them.
    expect(text).not.toContain(scene.opened.vulnerabilities[0]!.title ?? 'no title');

    const other = await c.signedIn(b!);
    await other.goto(`${c.base}/cases/${scene.opened.number}`);
    await other.getByText(COMMON).waitFor();
    await other.getByRole('button', { name: 'Your channel with the coordinators' }).click();
    await other.getByText(FOR_B).waitFor();
    await other.getByRole('button', { name: 'Common thread' }).click();
    await other.getByText(COMMON).waitFor();
    const seen = (await other.locator('main').textContent()) ?? '';
    for (const hidden of [FOR_A, 'Vendor A: the patch is in QA.', a!.orgId, await orgNameOf(c.t, a!), 'fixed in 2.4.1'])
      expect(seen).not.toContain(hidden);
    // Its address does not exist for the other vendor either.
    const status = await other.evaluate(async ([id, org]) => (await fetch(`/api/v1/cases/${id}/posts?channel=org:${org}`)).status, [
      scene.opened.number,
      a!.orgId,
    ] as const);
    expect(status).toBe(404);
  });

  it('shows the coordinator every channel and the pending statement to approve', async () => {
    const [a, b] = scene.vendors;
    const [nameA, nameB] = [await orgNameOf(c.t, a!), await orgNameOf(c.t, b!)];
    const page = await c.signedIn(c.t.coordinatorAdmin);
    await page.goto(`${c.base}/cases/${scene.opened.number}`);
    await page.getByText(COMMON).waitFor();
    // The coordinator reads every organisation: names, not ids, in the channels and the matrix.
    const channels = page.getByRole('group', { name: 'Channels' }).getByRole('button');
    await expect
      .poll(() => channels.allTextContents())
      .toEqual(expect.arrayContaining(['Common thread', `Channel of ${nameA}`, `Channel of ${nameB}`]));
    await page.getByRole('button', { name: `Channel of ${nameB}` }).click();
    await page.getByText(FOR_B).waitFor();
    const vendorA = page.locator('table.matrix').getByRole('row', { name: nameA });
    await vendorA.getByText(/fixed.*pending, version 1/).waitFor();
    await vendorA.getByRole('button', { name: /^Approve / }).click();
    await vendorA.getByText(/approved, version 1/).waitFor();
    await expectAccessible(page, 'case workspace (coordinator)');
    await page.screenshot({ path: `${SHOTS}/case-coordinator.png`, fullPage: true });
  });

  it('lets the coordinator draft and publish the advisory, which the vendor reads and an outsider never sees until published', async () => {
    const [a] = scene.vendors;
    const outsider = await c.t.org('vendor');
    await c.passwords(outsider);
    const page = await c.signedIn(c.t.coordinatorAdmin);
    await page.goto(`${c.base}/cases/${scene.opened.number}`);
    await page.getByRole('link', { name: `The advisory of ${scene.opened.number}` }).click();
    // The server's first draft compiles the CSAF validator's schemas: tens of seconds on a loaded machine.
    const slow = { timeout: 180_000 };
    await page.getByRole('button', { name: 'Generate the draft from the approved statements' }).click(slow);
    await page.getByRole('heading', { level: 2, name: 'Draft' }).waitFor(slow);
    // The vendor's approved "fixed" is in the draft.
    await expect.poll(() => page.locator('div.draft').textContent()).toContain('fixed');
    await expectAccessible(page, 'advisory draft');

    const vendor = await c.signedIn(a!);
    await vendor.goto(`${c.base}/advisories`);
    await vendor.getByRole('link', { name: new RegExp(scene.opened.number) }).click();
    await vendor.getByRole('heading', { level: 2, name: 'Draft' }).waitFor();
    expect(await vendor.getByRole('button', { name: /Publish/ }).count()).toBe(0);

    const stranger = await c.signedIn(outsider);
    await stranger.goto(`${c.base}/advisories/${scene.opened.number}`);
    await stranger.getByText('No advisory for you here yet.').waitFor();
    await stranger.goto(`${c.base}/advisories`);
    await stranger.getByText('No advisory you may read.').waitFor();

    // Published once the embargo has ended: the coordinator ends it, then publishes.
    await page.getByRole('button', { name: 'Publish as TLP:CLEAR' }).click();
    await expect.poll(() => page.getByRole('alert').last().textContent()).toMatch(/embargo/i);
    await page.goto(`${c.base}/cases/${scene.opened.number}`);
    await page.getByRole('button', { name: 'End the embargo now' }).click();
    await page.locator('dl.embargo').getByText('ended').first().waitFor();
    await page.goto(`${c.base}/advisories/${scene.opened.number}`);
    await page.getByRole('button', { name: 'Publish as TLP:CLEAR' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Published: version 1.');
    const signature = await page.getByRole('link', { name: 'OpenPGP signature' }).getAttribute('href');
    const asc = await page.evaluate(async (href) => (await fetch(href!)).text(), signature);
    expect(asc).toContain('-----BEGIN PGP SIGNATURE-----');
    await page.screenshot({ path: `${SHOTS}/advisory.png`, fullPage: true });

    await stranger.reload();
    await stranger.getByRole('link', { name: new RegExp(scene.opened.number) }).waitFor();
  }, 400_000);
});
