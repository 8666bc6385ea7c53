/**
 * What every console test shares: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a real server on a fresh SQLite database, sign-in through the sign-in page, and axe-core's check.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { CONSOLE_DIR, buildServer } from '../../src/app/server.js';
import { setPassword } from '../../src/modules/identity/index.js';
import type { HttpApp } from '../../src/platform/http/index.js';
import type { Dialect } from '#test-support/databases.js';
import { createTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { CHROMIUM, launchChromium } from './chromium.js';

export const SHOTS = 'test-results/console';
export const PASSWORD = 'console test passphrase';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

/** Why the console tests cannot run here, or null: they need Debian's Chromium (CI installs it). */
export const skipReason = existsSync(CHROMIUM) ? null : `${CHROMIUM} is absent (apt-get install chromium)`;
if (skipReason !== null) console.warn(`skipping the console tests: ${skipReason}`);

export async function emailOf(t: TestRuntime, who: TestUser): Promise<string> {
  const row = await t.runtime.db.kysely.selectFrom('identity_user').select('email').where('id', '=', who.userId).executeTakeFirstOrThrow();
  return (row as { email: string }).email;
}

/** The organisation's name, as the console shows it in place of its id. */
export async function orgNameOf(t: TestRuntime, who: TestUser): Promise<string> {
  const row = await t.runtime.db.kysely.selectFrom('identity_org').select('name').where('id', '=', who.orgId).executeTakeFirstOrThrow();
  return (row as { name: string }).name;
}

/**
 * No serious or critical accessibility violation on the page as it stands. axe-core is evaluated through
 * the DevTools protocol: a script tag would be refused by the console's Content-Security-Policy, as it should.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } })
      .axe;
    return (await axe.run()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.nodes.length})`);
  });
  expect(violations, what).toEqual([]);
}

/**
 * The page works at tablet width: at 768 px nothing makes the whole page scroll sideways (a wide table
 * scrolls in its own box), and axe still finds nothing serious there.
 */
export async function expectFitsTablet(page: Page, what: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 768, height: 1024 });
  const { overflow, widest } = await page.evaluate(() => {
    interface Box {
      tagName: string;
      className: unknown;
      getBoundingClientRect(): { right: number };
    }
    const doc = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): ArrayLike<Box> };
      }
    ).document;
    const root = doc.documentElement;
    const wide = Array.from(doc.querySelectorAll('main *'))
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth)
      .slice(-3)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)}`);
    return { overflow: root.scrollWidth - root.clientWidth, widest: wide.join(', ') };
  });
  expect(overflow, `${what}: the page is wider than a tablet by ${overflow} px (${widest})`).toBeLessThanOrEqual(0);
  await expectAccessible(page, `${what} at tablet width`);
  if (before !== null) await page.setViewportSize(before);
}

export interface Console {
  readonly t: TestRuntime;
  readonly app: HttpApp;
  readonly base: string;
  readonly browser: Browser;
  /** Gives these users the test password, so that they sign in through the page. */
  passwords(...who: TestUser[]): Promise<void>;
  /** A fresh browser context signed in through the sign-in page with an e-mail and password. */
  signedIn(who: TestUser, options?: BrowserContextOptions): Promise<Page>;
  /** A fresh browser context signed in through the sign-in page with an API token (as a new user first signs in). */
  signedInWithToken(token: string, options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The database the console tests run on unless a test names one: SQLite, or PostgreSQL with
 * CLEARINGHOUSE_CONSOLE_DB=postgres (the whole console suite once more on PostgreSQL, on demand).
 */
const DEFAULT_DIALECT: Dialect = process.env.CLEARINGHOUSE_CONSOLE_DB === 'postgres' ? 'postgres' : 'sqlite';

/** A server on a fresh database (SQLite unless told) and Chromium beside it. */
export async function startConsole(env: Record<string, string> = {}, dialect: Dialect = DEFAULT_DIALECT): Promise<Console> {
  if (!existsSync(`${CONSOLE_DIR}/index.html`)) throw new Error(`the console is not built in ${CONSOLE_DIR}: run npm run build`);
  mkdirSync(SHOTS, { recursive: true });
  const t = await createTestRuntime(dialect, env);
  const app = await buildServer(t.runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const signInPage = async (options: BrowserContextOptions): Promise<Page> => {
    const page = await (await browser.newContext(options)).newPage();
    // A page that throws shows nothing: say why in the test's output.
    page.on('pageerror', (e) => console.error(`the console threw: ${e.message}`));
    await page.goto(base);
    return page;
  };
  return {
    t,
    app,
    base,
    browser,
    async passwords(...who) {
      for (const user of who) await setPassword(t.system, user.userId, { password: PASSWORD });
    },
    async signedIn(who, options = {}) {
      const page = await signInPage(options);
      await page.getByLabel('E-mail', { exact: true }).fill(await emailOf(t, who));
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return page;
    },
    async signedInWithToken(token, options = {}) {
      const page = await signInPage(options);
      await page.getByLabel('an API token').check();
      await page.getByLabel('API token', { exact: true }).fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await app.close();
      await t.runtime.close();
      await t.database.drop();
    },
  };
}
