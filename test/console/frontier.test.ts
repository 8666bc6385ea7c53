/**
 * Trusted-partner nominations on the frontier page in Chromium: the score factor by factor, the two
 * sign-offs offered only to the admins of each side, selection once both signed, and axe at laptop and
 * tablet widths. Also a review's evaluation results charted against the policy's reference values, and a
 * grant's use reported by its grantee, its access log, and its revocation by the developer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBenchmarkResults, nominatePartner } from '../../src/modules/frontier/index.js';
import { frontierScene, grantAndAcknowledge, type Scene } from '../../src/modules/frontier/test-support/scene.js';
import type { TestUser } from '#test-support/runtime.js';
import { SHOTS, expectAccessible, expectFitsTablet, orgNameOf, skipReason, startConsole, type Console } from './harness.js';

describe.skipIf(skipReason !== null)('trusted-partner nominations in Chromium', () => {
  let c: Console;
  let scene: Scene;
  let labAnalyst: TestUser;
  // Only the coordinator reads other organisations' names: the developer and the agency see the candidate's id.
  let partner: RegExp;

  beforeAll(async () => {
    c = await startConsole();
    const { t } = c;
    scene = await frontierScene(t, { name: 'Kestrel' });
    await grantAndAcknowledge(t, scene);
    await nominatePartner(t.as(scene.agency), scene.model.id, {
      candidateOrgId: scene.partner.orgId,
      rationale: 'Runs the regional grid.',
      vettingCompleted: true,
      incidentResponseCapacity: 'continuous',
      scope: 'sandbox',
    });
    // The default policy's references: CVE-Bench success_rate ≥ 0.1, CyberGym reproduction_rate ≥ 0.15; none for the third.
    await addBenchmarkResults(t.as(scene.agency), scene.review.id, {
      title: 'Agency benchmark run',
      results: [
        { benchmark: 'CVE-Bench', metric: 'success_rate', value: 0.12 },
        { benchmark: 'CyberGym', metric: 'reproduction_rate', value: 0.05 },
        { benchmark: 'Internal CTF', metric: 'solved', value: 3 },
      ],
    });
    labAnalyst = await t.user(scene.lab.orgId, 'analyst');
    partner = new RegExp(scene.partner.orgId);
    await c.passwords(scene.lab, labAnalyst, scene.agency);
  });

  afterAll(async () => {
    await c?.close();
  });

  it("shows the developer's analyst the score and the missing sign-offs, but no sign-off for it to give", async () => {
    const page = await c.signedIn(labAnalyst);
    await page.goto(`${c.base}/frontier`);
    const nomination = page.getByRole('group', { name: partner });
    await expect.poll(() => nomination.locator('p.score').textContent()).toMatch(/^Score 100 .*: eligible$/);
    await nomination
      .getByRole('table', { name: 'Why it scores 100' })
      .getByRole('row', { name: /sector criticality/ })
      .waitFor();
    expect(await nomination.getByRole('list', { name: 'Sign-offs' }).getByRole('listitem').allTextContents()).toEqual([
      'developer: awaiting',
      'government: awaiting',
    ]);
    await nomination.getByRole('button', { name: 'Score again' }).waitFor();
    expect(await page.getByRole('form', { name: /^Sign off/ }).count()).toBe(0);
  });

  it('lets an admin of each side sign off; the second selects the partner', async () => {
    const lab = await c.signedIn(scene.lab);
    await lab.goto(`${c.base}/frontier`);
    const mine = lab.getByRole('group', { name: partner });
    await mine.getByRole('form', { name: 'Sign off for the developer side' }).getByLabel('Note').fill('Agreed with the agency.');
    await mine.getByRole('button', { name: 'Sign off for the developer side' }).click();
    const labName = await orgNameOf(c.t, scene.lab);
    await expect
      .poll(() => mine.getByRole('list', { name: 'Sign-offs' }).getByRole('listitem').first().textContent())
      .toMatch(new RegExp(`^developer: signed by ${labName} \\(you\\) .*\\(Agreed with the agency\\.\\)$`));
    expect(await lab.getByRole('form', { name: /^Sign off/ }).count()).toBe(0);
    await expectAccessible(lab, 'frontier nominations (developer admin)');
    await expectFitsTablet(lab, 'frontier nominations (developer admin)');
    await lab.screenshot({ path: `${SHOTS}/frontier-nominations.png`, fullPage: true });

    const agency = await c.signedIn(scene.agency);
    await agency.goto(`${c.base}/frontier`);
    const theirs = agency.getByRole('group', { name: partner });
    await theirs.getByRole('button', { name: 'Sign off for the government side' }).click();
    await theirs.getByRole('heading', { name: new RegExp(`${scene.partner.orgId} — selected`) }).waitFor();
    await theirs.getByText(/^Selected .*; 1 grants issued\.$/).waitFor();
  });

  it('charts the evaluation results against the reference values, with their numbers in a table beside the chart', async () => {
    const page = await c.signedIn(scene.lab);
    await page.goto(`${c.base}/frontier`);
    await page.getByRole('button', { name: `Evaluations of ${scene.model.id}` }).click();
    const table = page.getByRole('table', { name: 'The results and reference values behind the chart' });
    const rowOf = (name: string) => table.getByRole('row').filter({ hasText: name });
    await expect.poll(() => rowOf('cve-bench').textContent()).toContain('0.12≥ 0.1at or beyond the reference');
    expect(await rowOf('cybergym').textContent()).toContain('0.05≥ 0.15short of the reference');
    expect(await rowOf('solved').textContent()).toContain('3—no reference value');
    // The chart is one named image: the two results that have a reference, drawn as bars beside it.
    const chart = page.getByRole('img', { name: `Evaluation results of ${scene.model.id} against reference values` });
    await chart.waitFor();
    await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBe(2);
    await expectAccessible(page, 'frontier evaluations against references');
    await expectFitsTablet(page, 'frontier evaluations against references');
    await page.screenshot({ path: `${SHOTS}/frontier-evaluations-chart.png`, fullPage: true });
  });

  it('lets the grantee report a use, both sides read the access log, and the developer revoke the grant', async () => {
    const agency = await c.signedIn(scene.agency);
    await agency.goto(`${c.base}/frontier`);
    const use = agency.getByRole('form', { name: `Report a use of the grant to ${scene.model.id}` });
    await use.getByLabel('What the access was used for').fill('Exploit-generation test run, 40 tasks.');
    await use.getByRole('button', { name: 'Report the use' }).click();
    await use.getByRole('status').filter({ hasText: 'Use reported' }).waitFor();
    // The grantee may not revoke: only the developer's form offers it.
    expect(await agency.getByRole('form', { name: /^Revoke/ }).count()).toBe(0);
    await expectAccessible(agency, 'frontier grant use reported');

    const lab = await c.signedIn(scene.lab);
    await lab.goto(`${c.base}/frontier`);
    await lab.getByRole('button', { name: `Access log of the hosted api grant to ${scene.model.id}` }).click();
    const log = lab.getByRole('table', { name: `Access log of the grant to ${scene.model.id}, newest first` });
    await expect.poll(() => log.getByRole('row').nth(1).textContent()).toContain('Exploit-generation test run, 40 tasks.');
    expect(await log.getByRole('row').nth(1).textContent()).toContain('use');
    const revoke = lab.getByRole('form', { name: `Revoke the hosted api grant to ${scene.model.id}` });
    await revoke.getByLabel('Reason').selectOption('no_longer_needed');
    await revoke.getByRole('button', { name: 'Revoke the grant' }).click();
    await lab.getByRole('heading', { name: new RegExp(`^hosted api access to ${scene.model.id}`) }).waitFor();
    const card = lab.getByRole('article').filter({ hasText: 'hosted api access' });
    await expect.poll(() => card.locator('p').first().textContent()).toMatch(/^revoked; from /);
    expect(await lab.getByRole('form', { name: `Revoke the hosted api grant to ${scene.model.id}` }).count()).toBe(0);
    await expectAccessible(lab, 'frontier grant revoked');
    await lab.screenshot({ path: `${SHOTS}/frontier-grant-revoked.png`, fullPage: true });
  });
});
