/**
 * Trusted-partner nominations on the frontier page in Chromium: the score factor by factor, the two
 * sign-offs offered only to the admins of each side, selection once both signed, and axe at laptop and
 * tablet widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nominatePartner } from '../../src/modules/frontier/index.js';
import { frontierScene, grantAndAcknowledge, type Scene } from '../../src/modules/frontier/test-support/scene.js';
import type { TestUser } from '../support/runtime.js';
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
});
