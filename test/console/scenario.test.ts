/**
 * The whole main line in the browser, from an empty database (the coordinator's bootstrap admin only), each
 * party doing its part through the console's pages and nothing else: the coordinator creates the
 * organisations and their first users; a lab submits two real grype SARIF logs and sees the second answered
 * as duplicates; an agency claims the validation job and records its attempt; the coordinator accepts the
 * cluster, opens a case and adds the vendor; the vendor states "fixed"; the coordinator approves, ends the
 * embargo and publishes the advisory; the operator, whose SBOM runs the affected version, sees it on its
 * home page and marks it patched. Every page visited is checked with axe-core; screenshots go to
 * test-results/console/scenario-<database>-*.png. The background runner's work is run on demand between
 * steps (`jobs.drain()`), as a server would run it within seconds.
 *
 * Runs on SQLite and on PostgreSQL. Skipped, saying why, without Debian's Chromium or ../shared/data.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeEachDatabase, type Dialect } from '#test-support/databases.js';
import { hasSharedData, sharedData } from '#test-support/shared-data.js';
import { SHOTS, expectAccessible, skipReason, startConsole, type Console } from './harness.js';

const GRYPE = 'sarif/grype/grype/presenter/sarif/testdata/snapshot';
const missing = skipReason ?? (hasSharedData(GRYPE) ? null : `${sharedData(GRYPE)} is absent (real corpora; see ../shared/data/README.md)`);
if (missing !== null) console.warn(`skipping the end-to-end scenario: ${missing}`);

const ORGS = {
  lab: { name: 'Northwind AI Lab', kind: 'model_developer', user: 'Lena Lab', email: 'lena@northwind.example' },
  agency: { name: 'Cyber Defense Agency', kind: 'agency', user: 'Avery Agency', email: 'avery@cda.example' },
  vendor: { name: 'Package Two Maintainers', kind: 'vendor', user: 'Vic Vendor', email: 'vic@package-two.example' },
  operator: { name: 'Riverside Water Authority', kind: 'operator', user: 'Olu Operator', email: 'olu@riverside.example' },
} as const;
type Party = keyof typeof ORGS;

const ASSET = 'Pumping station HMI';
const AFFECTED = 'pkg:deb/debian/package-2@2.2.2';
/** The operator's inventory: CycloneDX 1.5 listing the Debian package the lab's scan found, at the version found. */
const SBOM = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  version: 1,
  metadata: { component: { type: 'device', name: ASSET } },
  components: [
    { type: 'library', name: 'package-2', version: '2.2.2', purl: AFFECTED },
    { type: 'library', name: 'zlib1g', version: '1.2.13', purl: 'pkg:deb/debian/zlib1g@1.2.13' },
  ],
});

/** The draft compiles the CSAF validator's schemas on the server's first use: tens of seconds on a loaded machine. */
const SLOW = { timeout: 180_000 };

describeEachDatabase('the main line end to end in Chromium', (dialect: Dialect) => {
  describe.skipIf(missing !== null)('every party in its console', () => {
    let c: Console;
    const tokens = new Map<Party, string>();
    let clusterTitle = '';
    let caseNumber = '';
    let shot = 0;

    /** What every page visited gets: axe's check, then a numbered screenshot. */
    const checked = async (page: Page, what: string): Promise<void> => {
      await expectAccessible(page, what);
      shot += 1;
      await page.screenshot({
        path: `${SHOTS}/scenario-${dialect}-${String(shot).padStart(2, '0')}-${what.replaceAll(' ', '-')}.png`,
        fullPage: true,
      });
    };
    const as = (party: Party): Promise<Page> => c.signedInWithToken(tokens.get(party)!);
    const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

    beforeAll(async () => {
      c = await startConsole({}, dialect);
      // The server's clock reads the machine's, as the browser's does: due dates and countdowns agree.
      c.t.clock.set(new Date());
      await c.passwords(c.t.coordinatorAdmin);
    });

    afterAll(async () => {
      await c?.close();
    });

    it('the coordinator creates the organisations and their first users, each given a token once', async () => {
      const page = await c.signedIn(c.t.coordinatorAdmin);
      await nav(page, 'Administration').click();
      await page.getByRole('heading', { name: 'Organisations' }).waitFor();
      await checked(page, 'administration');
      for (const [party, org] of Object.entries(ORGS) as [Party, (typeof ORGS)[Party]][]) {
        const orgForm = page.getByRole('form', { name: 'New organisation' });
        await orgForm.getByLabel('Name').fill(org.name);
        await orgForm.getByLabel('Kind').selectOption(org.kind);
        await orgForm.getByRole('button', { name: 'Create the organisation' }).click();
        // The new organisation is selected: its (empty) list of users is shown.
        await page.getByRole('button', { name: org.name, pressed: true }).waitFor();
        const userForm = page.getByRole('form', { name: 'New user' });
        await userForm.getByLabel('Name').fill(org.user);
        await userForm.getByLabel('E-mail').fill(org.email);
        await userForm.getByRole('button', { name: 'Add the user' }).click();
        const added = page.getByRole('status').filter({ hasText: `Added ${org.email}` });
        await added.waitFor();
        tokens.set(party, ((await added.locator('code').textContent()) ?? '').trim());
        await page.getByRole('cell', { name: org.email }).waitFor();
      }
      const orgs = page.locator('table.orgs');
      for (const org of Object.values(ORGS)) {
        const row = orgs.getByRole('row', { name: new RegExp(`^${org.name}`) });
        expect(await row.textContent()).toContain(org.kind.replace('_', ' '));
      }
      expect(new Set(tokens.values()).size).toBe(4);
      await checked(page, 'administration with the new organisations');
    });

    it('the operator signs in with its token and uploads the SBOM of an asset: nothing affects it yet', async () => {
      const page = await as('operator');
      await page.getByRole('heading', { name: 'My assets and advisories' }).waitFor();
      await page.getByText('No advisory you may see affects your assets.').waitFor();
      await page.getByText('Nothing open.').waitFor();
      await page.getByLabel('Asset', { exact: true }).fill(ASSET);
      await page.getByLabel('Sector').selectOption('water');
      await page.getByLabel('Criticality').selectOption('high');
      await page
        .getByLabel('SBOM file (CycloneDX or SPDX)')
        .setInputFiles({ name: 'hmi.cdx.json', mimeType: 'application/json', buffer: Buffer.from(SBOM) });
      await page.getByRole('button', { name: 'Upload the SBOM' }).click();
      await expect
        .poll(() => page.getByRole('status').last().textContent())
        .toMatch(new RegExp(`Version 1 of ${ASSET}: \\d+ components \\(CycloneDX 1\\.5\\), 0 affected by known advisories`));
      await expect.poll(() => page.getByRole('row', { name: new RegExp(`^${ASSET}`) }).textContent()).toContain('uploaded');
      await checked(page, 'operator home before');
    });

    it('the lab submits its directory scan, then its image scan, and sees the second answered as duplicates of the first', async () => {
      const page = await as('lab');
      await page.getByRole('heading', { name: 'Submit findings' }).waitFor();
      await checked(page, 'submit');
      // GREEN: every member organisation may read it, so that an agency may take its validation.
      await page.getByLabel('Label').selectOption('GREEN');
      const send = async (file: string) => {
        await page
          .getByLabel('Document')
          .setInputFiles({ name: file, mimeType: 'application/sarif+json', buffer: readFileSync(sharedData(GRYPE, file)) });
        await page.getByRole('button', { name: 'Submit' }).click();
      };
      await send('TestSarifPresenter_directory.golden');
      await expect.poll(() => page.getByRole('status').last().textContent()).toContain('2 findings: 2 new, 0 duplicates');
      const firstClusters = await page.locator('table.answer tbody tr td:nth-child(3)').allTextContents();
      expect(new Set(firstClusters).size).toBe(2);

      // The same two vulnerabilities found again in the image built from that directory: other paths, other bytes.
      await send('TestSarifPresenter_image.golden');
      await expect.poll(() => page.getByRole('status').last().textContent()).toContain('2 findings: 0 new, 2 duplicates');
      expect(await page.locator('table.answer tbody tr td:nth-child(2)').allTextContents()).toEqual(['duplicate', 'duplicate']);
      expect((await page.locator('table.answer tbody tr td:nth-child(3)').allTextContents()).sort()).toEqual([...firstClusters].sort());
      await checked(page, 'submit with the duplicate answer');
      await c.t.runtime.jobs.drain();
    });

    it('the agency claims the validation job of the most severe cluster and records a confirming attempt: the cluster is valid', async () => {
      const page = await as('agency');
      await nav(page, 'Validation work').click();
      await page.getByRole('heading', { name: 'Validation work' }).waitFor();
      await page.getByRole('button', { name: 'Claim the next job' }).click();
      const claimed = page.getByRole('status').getByRole('link');
      await claimed.waitFor();
      // Queue order: SARIF security-severity 8.5 (CVE-1999-0002, package-2) before 8.2 (CVE-1999-0001).
      clusterTitle = ((await claimed.textContent()) ?? '').trim();
      expect(clusterTitle).toMatch(/CVE-1999-0002|package-2/);
      await page.getByRole('cell', { name: /^cl/ }).first().waitFor();
      await checked(page, 'validation work');

      await claimed.click();
      await page.getByRole('heading', { level: 1, name: clusterTitle }).waitFor();
      await page.getByText('No validation attempt yet.').waitFor();
      await page.getByLabel('Ran against (package URL, repository or image)').fill(AFFECTED);
      await page.getByLabel('Affected build (version, commit or digest)').fill('2.2.2');
      await page.getByLabel('Environment').fill('debian:12 container, package-2 2.2.2 from the archive');
      await page.getByRole('radio', { name: 'yes' }).first().check();
      await page.getByLabel('Steps (one a line)').fill('apt-get install package-2=2.2.2\nrun the proof of concept against it');
      await page.getByLabel('Automatable (SSVC)').selectOption('yes');
      await page.getByLabel('Technical impact (SSVC)').selectOption('total');
      await checked(page, 'cluster with the attempt form');
      await page.getByRole('button', { name: 'Record the attempt' }).click();
      await expect
        .poll(() => page.getByRole('status').last().textContent())
        .toContain('Recorded: it confirms; 1 of 1 confirmations, the cluster is valid. Your validation job is done.');
      const attempts = page.getByRole('table').filter({ hasText: 'Reproduced' });
      await expect.poll(() => attempts.textContent()).toContain('confirms');
      await c.t.runtime.jobs.drain();
    });

    it('the coordinator accepts the cluster, opens a case and adds the vendor', async () => {
      const page = await c.signedIn(c.t.coordinatorAdmin);
      await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
      // The queue lists the received clusters unless asked for another state: the validated one left it.
      expect(await page.getByRole('link', { name: clusterTitle }).count()).toBe(0);
      await page.getByLabel('State').selectOption('valid');
      await page.getByRole('link', { name: clusterTitle }).click();
      await page.getByRole('heading', { level: 1, name: clusterTitle }).waitFor();
      await expect.poll(() => page.locator('dl.facts').textContent()).toContain('valid');
      // Reporter and validator by name, not id (the coordinator reads every organisation).
      await expect.poll(() => page.locator('article.report dl').first().textContent()).toContain(`Reporter${ORGS.lab.name}`);
      await expect.poll(() => page.getByRole('table').filter({ hasText: 'Reproduced' }).textContent()).toContain(ORGS.agency.name);
      await page.getByLabel('Move to').selectOption('accepted');
      await page.getByRole('button', { name: 'Record verdict' }).click();
      await page.getByText('Recorded: the cluster is now accepted.').waitFor();

      await page.getByRole('button', { name: 'Open the case' }).click();
      const opened = page.getByRole('status').filter({ hasText: 'Opened' }).getByRole('link');
      await opened.waitFor();
      caseNumber = ((await opened.textContent()) ?? '').trim();
      expect(caseNumber).toMatch(/^CH-\d{4}-\d{4}$/);
      await checked(page, 'cluster accepted with its case');

      await opened.click();
      await page.getByRole('heading', { level: 1, name: new RegExp(caseNumber) }).waitFor();
      const form = page.getByRole('form', { name: 'Add a participant' });
      await form.getByLabel('Role').selectOption('vendor');
      await form.getByLabel('Organisation').selectOption({ label: `${ORGS.vendor.name} (vendor)` });
      await form.getByRole('button', { name: 'Add to the case' }).click();
      await page.getByText(`Added ${ORGS.vendor.name} as vendor; told at once.`).waitFor();
      const participants = page.locator('table.participants');
      await expect
        .poll(async () => (await participants.getByRole('row').allTextContents()).filter((r) => r.includes('vendor')).length)
        .toBe(1);
      // The first vendor starts the default embargo.
      await expect.poll(() => page.locator('dl.embargo').textContent()).toMatch(/UTC/);
      await checked(page, 'case workspace with the vendor');
    });

    it('the vendor finds the case and states that its package is fixed', async () => {
      const page = await as('vendor');
      await nav(page, 'Cases').click();
      await page.getByRole('link', { name: new RegExp(caseNumber) }).click();
      await page.getByRole('heading', { level: 1, name: new RegExp(caseNumber) }).waitFor();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('TLP:AMBER');
      await page.getByLabel('Status', { exact: true }).selectOption('fixed');
      await page.getByLabel('Product purl').fill(AFFECTED);
      await page.getByLabel('Fixed in (versions, comma-separated)').fill('2.2.3');
      await page.getByLabel('Where to get the fix (URL)').fill('https://package-two.example/releases/2.2.3');
      await page.getByRole('button', { name: 'Save the statement' }).click();
      await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Saved: fixed, version 1, pending.');
      await checked(page, 'case workspace of the vendor');
    });

    it('the coordinator approves the statement, ends the embargo and publishes the advisory', async () => {
      const page = await c.signedIn(c.t.coordinatorAdmin);
      await page.goto(`${c.base}/cases/${caseNumber}`);
      const vendorRow = page
        .locator('table.matrix')
        .getByRole('row')
        .filter({ hasText: /pending, version 1/ });
      await vendorRow.getByRole('button', { name: /^Approve / }).click();
      await page
        .locator('table.matrix')
        .getByText(/approved, version 1/)
        .waitFor();
      await page.getByRole('button', { name: 'End the embargo now' }).click();
      await page.locator('dl.embargo').getByText('ended').first().waitFor();
      await checked(page, 'case workspace approved and disclosed');

      await page.getByRole('link', { name: `The advisory of ${caseNumber}` }).click();
      await page.getByRole('button', { name: 'Generate the draft from the approved statements' }).click(SLOW);
      await page.getByRole('heading', { level: 2, name: 'Draft' }).waitFor(SLOW);
      await expect.poll(() => page.locator('div.draft').textContent()).toMatch(/CVE-1999-0002: fixed \(1\)/);
      await checked(page, 'advisory draft');
      await page.getByRole('button', { name: 'Publish as TLP:CLEAR' }).click();
      await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Published: version 1.');
      await checked(page, 'advisory published');
      // Notify's consumer of the publication targets the operators that run an affected version.
      await c.t.runtime.jobs.drain();
    }, 400_000);

    it('the operator sees the advisory on its home page with its asset and due date, and marks it patched', async () => {
      const page = await as('operator');
      await page.getByRole('heading', { name: 'My assets and advisories' }).waitFor();
      const priorities = page.locator('table.priorities');
      await priorities.waitFor();
      const row = priorities.getByRole('row').filter({ hasText: ASSET });
      // Named as everywhere on this page: the case number, then the CVE id the lab's scan gave; with the
      // vendor's fixed version and a due date not yet passed.
      const advisory = `${caseNumber} (CVE-1999-0002)`;
      await expect.poll(() => row.textContent()).toContain(advisory);
      expect(await row.textContent()).toContain('2.2.3');
      expect(await row.locator('time').count()).toBe(1);
      expect(await row.textContent()).not.toContain('overdue');
      const item = `${advisory} on ${ASSET}`;
      expect(await page.locator('table.remediation').getByRole('row').filter({ hasText: ASSET }).textContent()).toContain(advisory);
      await page.getByRole('button', { name: `Mark patched: ${item}` }).waitFor();
      await checked(page, 'operator home with the advisory');

      await page.getByRole('button', { name: `Mark patched: ${item}` }).click();
      await expect.poll(() => page.getByRole('status').last().textContent()).toContain(`Reported: ${item} is patched.`);
      await page.getByText('Nothing open.').waitFor();
      await checked(page, 'operator home patched');
    });

    it("the coordinator sees the advisory's remediation curve and the queue figures, each chart with its table", async () => {
      const page = await c.signedIn(c.t.coordinatorAdmin);
      await page.goto(`${c.base}/advisories/${caseNumber}`);
      // The one operator asset was patched on the day it was told: 100 % from day 0.
      const curves = page.getByRole('table', { name: /^The remediation curves behind the chart/ });
      await expect.poll(() => curves.getByRole('row').nth(1).textContent()).toBe('0100 %100 %');
      // One sector's curve beside the overall one, each over the one asset.
      expect((await curves.getByRole('columnheader').allTextContents()).slice(0, 2)).toEqual([
        'Days since notification',
        'All sectors (1 assets)',
      ]);
      expect(await curves.getByRole('columnheader').count()).toBe(3);
      await page.getByRole('img', { name: `Share of assets patched by days since notification, ${caseNumber}` }).waitFor();
      await checked(page, 'advisory remediation curves');

      await nav(page, 'Governance').click();
      const figures = page.getByRole('table', { name: 'The queue figures behind the charts' });
      const today = new Date(c.t.clock.now()).toISOString().slice(0, 10);
      // Today: the lab's first log made two clusters; one left the queue, validated by the agency; the other waits.
      const cells = async () =>
        (
          await figures
            .getByRole('row', { name: new RegExp(`^${today}`) })
            .getByRole('cell')
            .allTextContents()
        ).slice(0, 4);
      await expect.poll(cells).toEqual(['2', '1', '1', '1']);
      await page.getByRole('img', { name: 'Triage queue volume by day' }).waitFor();
      await page.getByRole('img', { name: 'Median hours to validate by day' }).waitFor();
      await checked(page, 'governance queue figures');
    });
  });
});
