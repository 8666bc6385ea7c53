/**
 * The web console end to end in real Chromium (Debian's, driven by playwright-core): a real server on a
 * fresh SQLite database, parties signing in through the sign-in page, and what each page shows them. Every
 * page is checked with axe-core for serious and critical accessibility violations. Screenshots go to
 * test-results/console/. Skipped, saying why, where /usr/bin/chromium is absent (CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { submitDocument } from '../../src/modules/intake/index.js';
import { prioritize } from '../../src/modules/scoring/index.js';
import { subject } from '../../src/modules/scoring/test-support/feeds.js';
import { seedPriorities } from '../../src/modules/scoring/test-support/priorities.js';
import { distinctFinding, findingsDocument } from '../../src/modules/validation/test-support/scene.js';
import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { SHOTS, emailOf, expectAccessible, skipReason, startConsole, type Console } from './harness.js';

interface Cast {
  lab: TestUser;
  analyst: TestUser;
  viewer: TestUser;
  operatorA: TestUser;
  agency: TestUser;
  greenTitle: string;
  redTitle: string;
  redCluster: string;
}

describe.skipIf(skipReason !== null)('the web console in Chromium', () => {
  let c: Console;
  let t: TestRuntime;
  let base: string;
  let browser: Console['browser'];
  let cast: Cast;

  beforeAll(async () => {
    c = await startConsole();
    ({ t, base, browser } = c);

    const analyst = await t.user(t.coordinatorAdmin.orgId, 'analyst');
    const viewer = await t.user(t.coordinatorAdmin.orgId, 'viewer');
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const green = distinctFinding({ title: 'Path traversal anyone may read about' });
    const red = distinctFinding({ title: 'Zero-day only named people may read about' });
    const greenAnswer = await submitDocument(t.as(lab), { bytes: findingsDocument([green]), tlp: 'GREEN' });
    const redAnswer = await submitDocument(t.as(lab), {
      bytes: findingsDocument([red]),
      tlp: 'RED',
      recipients: { userIds: [lab.userId] },
    });
    await t.runtime.jobs.drain();
    // The GREEN cluster prioritized as validated: automatable, total impact, exposed at a high-criticality asset.
    await prioritize(t.system, subject(greenAnswer.findings[0]!.clusterId));
    const { a: operatorA } = await seedPriorities(t);
    // Notify tells the operators whose inventories match (their remediation items).
    await t.runtime.jobs.drain();
    await c.passwords(lab, analyst, viewer, operatorA, agency);
    cast = {
      lab,
      analyst,
      viewer,
      operatorA,
      agency,
      greenTitle: String(green.title),
      redTitle: String(red.title),
      redCluster: redAnswer.findings[0]!.clusterId,
    };
  });

  afterAll(async () => {
    await c?.close();
  });

  const signedIn = (who: TestUser): Promise<Page> => c.signedIn(who);

  it('signs in with a password or a token, refuses a wrong one, and is accessible', async () => {
    const page = await (await browser.newContext()).newPage();
    const started = performance.now();
    await page.goto(base);
    await page.getByRole('heading', { name: 'Sign in to the Clearinghouse' }).waitFor();
    // A figure, not an assertion (the machine is shared): from navigation to the sign-in form on screen.
    console.log(JSON.stringify({ figure: 'console sign-in page shown', ms: Math.round(performance.now() - started) }));
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('E-mail', { exact: true }).fill(await emailOf(t, cast.agency));
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('the e-mail or the password is wrong');

    await page.getByLabel('an API token').check();
    await page.getByLabel('API token', { exact: true }).fill(cast.agency.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // An agency's admin lands on submitting findings; the account page is in the navigation.
    await page.getByRole('heading', { name: 'Submit findings' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'chx_session')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    await expectAccessible(page, 'account');
    await page.screenshot({ path: `${SHOTS}/account.png` });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the Clearinghouse' }).waitFor();
    expect((await page.request.get(`${base}/api/v1/me`)).status()).toBe(401);
  });

  it('shows a coordinator analyst the whole queue and the RED cluster, and a coordinator viewer only what its labels allow', async () => {
    const page = await signedIn(cast.analyst);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await page.getByRole('link', { name: cast.redTitle }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: cast.greenTitle }).count()).toBe(1);
    await expectAccessible(page, 'triage queue');
    await page.screenshot({ path: `${SHOTS}/triage-queue.png` });

    await page.getByRole('link', { name: cast.redTitle }).click();
    await page.getByRole('heading', { level: 1, name: cast.redTitle }).waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('TLP:RED');
    await page.getByRole('heading', { name: 'Verdict' }).waitFor();
    await expectAccessible(page, 'cluster');
    await page.getByLabel('Move to').selectOption('invalid');
    await page.getByLabel('Reason').selectOption('false_positive');
    await page.getByLabel('Note (the reporter reads it)').fill('The input is escaped two frames up.');
    await page.getByRole('button', { name: 'Record verdict' }).click();
    await expect.poll(() => page.getByText('Recorded: the cluster is now invalid.').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/cluster.png` });

    const viewer = await signedIn(cast.viewer);
    await viewer.getByRole('link', { name: cast.greenTitle }).waitFor();
    expect(await viewer.getByText(cast.redTitle).count()).toBe(0);
    // Viewers only read: the verdict form is not offered.
    await viewer.getByRole('link', { name: cast.greenTitle }).click();
    await viewer.getByRole('heading', { level: 1, name: cast.greenTitle }).waitFor();
    expect(await viewer.getByRole('heading', { name: 'Verdict' }).count()).toBe(0);
    // Its priority: the decision and every input with its source (coordinator members read decisions).
    const inputs = viewer.locator('table.inputs');
    await inputs.waitFor();
    const automatable = viewer.getByRole('row', { name: /^Automatable/ });
    expect(await automatable.textContent()).toContain('yes');
    // The validator's organisation is the API's to redact for a viewer, and the page shows what it answered.
    expect(await automatable.textContent()).toContain('validation: validator [a validator]; assessedAt 2026-06-01T00:00:00.000Z');
    expect(await inputs.textContent()).not.toContain('org_validator');
    expect(await viewer.getByRole('row', { name: /^Exploitation/ }).textContent()).toContain('no-evidence');
    await expectAccessible(viewer, 'cluster with its priority');
    // The RED cluster's own address shows nothing of it.
    await viewer.goto(`${base}/clusters/${cast.redCluster}`);
    await viewer.getByText('No such cluster for you.').waitFor();
    expect(await viewer.getByText(cast.redTitle).count()).toBe(0);
  });

  it("shows an operator its own assets and advisories with due dates, never another operator's", async () => {
    const page = await signedIn(cast.operatorA);
    await page.getByRole('heading', { name: 'My assets and advisories' }).waitFor();
    const table = page.locator('table.priorities');
    await table.waitFor();
    await expect.poll(() => table.textContent()).toContain('Historian');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('CVE-2026-0002');
    expect(text).toContain('HMI');
    expect(text).not.toContain('Other operator turbine');
    expect(text).not.toContain('a RED advisory');
    expect(await page.locator('time').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'operator home');
    await page.screenshot({ path: `${SHOTS}/operator-home.png` });

    // Remediation: the operator marks one advisory patched on one asset; it leaves the open list.
    const remediation = page.locator('table.remediation');
    await remediation.waitFor();
    const rows = await remediation.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect((await remediation.textContent()) ?? '').not.toContain('Other operator turbine');
    // The operator home names an advisory by its id with its aliases after it, the same in every table.
    await page.getByRole('button', { name: 'Mark patched: PYSEC-1 (CVE-2026-0001) on Historian' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('PYSEC-1 (CVE-2026-0001) on Historian is patched');
    await expect.poll(() => remediation.locator('tbody tr').count()).toBe(rows - 1);
    const stored = (await t.runtime.db.kysely
      .selectFrom('notify_remediation')
      .select(['advisory_id', 'asset_name', 'status'])
      .where('org_id', '=', cast.operatorA.orgId)
      .where('status', '=', 'patched')
      .execute()) as { advisory_id: string; asset_name: string }[];
    expect(stored.map((r) => `${r.advisory_id} ${r.asset_name}`)).toEqual(['PYSEC-1 Historian']);
  });

  it('lets a lab submit a document and see which findings were new and which duplicates, then its reports', async () => {
    const page = await signedIn(cast.lab);
    await page.getByRole('heading', { name: 'Submit findings' }).waitFor();
    await expectAccessible(page, 'submit');
    const known = distinctFinding({ title: 'Deserialization the lab found twice' });
    const first = findingsDocument([known]);
    await page.getByLabel('Document').setInputFiles({ name: 'first.json', mimeType: 'application/json', buffer: first });
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('1 findings: 1 new, 0 duplicates');

    const again = findingsDocument([known, distinctFinding({ title: 'A second, new one' })]);
    await page.getByLabel('Document').setInputFiles({ name: 'second.json', mimeType: 'application/json', buffer: again });
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('2 findings: 1 new, 1 duplicates');
    const outcomes = await page.locator('table.answer tbody tr td:nth-child(2)').allTextContents();
    expect(outcomes).toEqual(['duplicate', 'new']);
    // Two in the set-up, these two: each document stored once.
    const stored = await t.runtime.db.kysely
      .selectFrom('intake_submission')
      .select('id')
      .where('owner_org_id', '=', cast.lab.orgId)
      .execute();
    expect(stored).toHaveLength(4);
    await expectAccessible(page, 'submit with an answer');
    await page.screenshot({ path: `${SHOTS}/submit.png` });

    // My reports, once the background work ran (the test server runs it on demand): the lab's four clusters,
    // two from the set-up and the two these documents made.
    const answered = await page.locator('table.answer tbody tr td:nth-child(3)').allTextContents();
    await t.runtime.jobs.drain();
    await page.reload();
    await expect.poll(() => page.locator('ul.my-reports li').count()).toBe(4);
    const reports = (await page.locator('ul.my-reports').textContent()) ?? '';
    for (const clusterId of answered) expect(reports).toContain(clusterId);
  });

  it('lets a coordinator analyst upload evidence on a cluster page; it lists with its TLP and downloads', async () => {
    const page = await signedIn(cast.analyst);
    await page.getByRole('link', { name: cast.greenTitle }).click();
    await page.getByRole('heading', { name: 'Add evidence' }).waitFor();
    await page.getByLabel('File').setInputFiles({ name: 'poc.py', mimeType: 'text/x-python', buffer: Buffer.from('print("poc")\n') });
    await page.getByLabel('Kind').selectOption('proof_of_concept');
    await page.getByLabel('TLP', { exact: true }).selectOption('AMBER');
    await page.getByRole('button', { name: 'Upload the evidence' }).click();
    await page.getByText('Uploaded poc.py.').waitFor();
    const link = page.getByRole('link', { name: 'poc.py' });
    await link.waitFor();
    const body = await page.evaluate(async (href) => (await fetch(href!)).text(), await link.getAttribute('href'));
    expect(body).toBe('print("poc")\n');
    await expectAccessible(page, 'cluster with the evidence form');
  });

  it('refuses a change sent with the session cookie but without the CSRF token', async () => {
    const page = await signedIn(cast.agency);
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/v1/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"forged"}',
      });
      return response.status;
    });
    expect(status).toBe(403);
    const listed = await page.evaluate(async () => ((await (await fetch('/api/v1/tokens')).json()) as { items: { name: string }[] }).items);
    expect(listed.map((tok) => tok.name)).not.toContain('forged');
  });
});
