import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { bootstrap } from '../src/modules/identity/index.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { launchChromium } from '../test/console/chromium.js';
import { startServer } from './api.js';
import { benchSqlite } from './databases.js';
import { report } from './report.js';

const ADMIN_TOKEN = 'bench-console-admin-token-0123456789-abcdefgh';

/**
 * Installed before any script of the page runs (through the DevTools protocol, which the page's CSP does not
 * govern): records in `__interactiveAt` the first moment, in ms since navigation start, at which `ready()`
 * holds, checked on every DOM change. React attaches its event handlers at the root before it commits its
 * first render, so a rendered form is one that answers a click.
 */
function watchFor(ready: string): string {
  return `(() => {
    const ready = ${ready};
    const check = () => {
      if (globalThis.__interactiveAt === undefined && ready()) globalThis.__interactiveAt = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  })();`;
}

/** The sign-in form is on screen with its button. */
const SIGN_IN_READY = `() => document.querySelector('#sign-in-title') !== null && document.querySelector('main form button[type=submit]') !== null`;
/** The coordinator's home, the triage queue, shows its answer (rows, or that the queue is empty), not a loading line. */
const QUEUE_READY = `() => document.querySelector('#queue-title') !== null && (document.querySelector('table.queue') !== null || /Nothing in the queue/.test(document.querySelector('main')?.textContent ?? ''))`;

async function interactiveAt(page: Page): Promise<number> {
  await page.waitForFunction(() => (globalThis as { __interactiveAt?: number }).__interactiveAt !== undefined, undefined, {
    timeout: 60_000,
  });
  return page.evaluate(() => (globalThis as unknown as { __interactiveAt: number }).__interactiveAt);
}

/** One cold visit (a fresh context: no cache, no cookie) of the console's first page: ms to interactive. */
async function coldVisit(browser: Browser, url: string, ready: string, signIn: boolean): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (signIn) {
      // The session cookie the sign-in page would get, set directly: no page of the console loads before the visit.
      const answer = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: ADMIN_TOKEN }),
      });
      const cookie = /^([^=]+)=([^;]*)/.exec(answer.headers.get('set-cookie') ?? '');
      if (!answer.ok || cookie === null) throw new Error(`sign-in answered ${answer.status} without a session cookie`);
      await context.addCookies([{ name: cookie[1]!, value: cookie[2]!, url, httpOnly: true, secure: true, sameSite: 'Strict' }]);
    }
    await page.addInitScript(watchFor(ready));
    await page.goto(url);
    return await interactiveAt(page);
  } finally {
    await context.close();
  }
}

/** The same-run baseline: a cold page load of a bare JSON answer of the same server (nothing to run). */
async function bareLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/readyz`, { waitUntil: 'load' });
    // Evaluated as text: the page's Navigation Timing is a DOM type this Node-side code is not compiled with.
    return Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"));
  } finally {
    await context.close();
  }
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * The console's first page, interactive, against a local server (the built server in its own process on
 * SQLite, `npm run build` first) in Debian's Chromium: ms from navigation start to the sign-in form on screen
 * (a newcomer's first page), and to the coordinator's triage queue with its answer (a signed-in user's), each
 * visit in a fresh browser context (cold cache). One JSON line: the sign-in page's median as the value, its
 * 90th percentile, the signed-in home's, the same run's bare page load and the ratio to it, and the load
 * average, since the machine is shared.
 */
export async function benchConsole(options: { runs: number }): Promise<void> {
  const db = benchSqlite('console');
  const env = { ...db.env, CLEARINGHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info' };
  const runtime = await openRuntime(loadConfig(env), silentLogger);
  await bootstrap(runtime.contextFor(cliActor), { adminToken: ADMIN_TOKEN });
  await runtime.close();
  const server = await startServer(env);
  const browser = await launchChromium();
  try {
    const load = loadavg()[0]!;
    // One of each first, untimed: the server's and the browser's first-use costs are not the page's.
    await coldVisit(browser, server.url, SIGN_IN_READY, false);
    await coldVisit(browser, server.url, QUEUE_READY, true);
    await bareLoad(browser, server.url);
    const signIn: number[] = [];
    const home: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      signIn.push(await coldVisit(browser, server.url, SIGN_IN_READY, false));
      home.push(await coldVisit(browser, server.url, QUEUE_READY, true));
      bare.push(await bareLoad(browser, server.url));
    }
    for (const list of [signIn, home, bare]) list.sort((a, b) => a - b);
    const ms = (v: number) => Math.round(v);
    const p50 = quantile(signIn, 0.5);
    report('console.first_page_interactive_ms', p50, {
      page: 'sign-in, cold cache',
      p90: ms(quantile(signIn, 0.9)),
      signedInHome: { page: 'triage queue with its answer, cold cache', p50: ms(quantile(home, 0.5)), p90: ms(quantile(home, 0.9)) },
      bareLoadP50: ms(quantile(bare, 0.5)),
      ratioToBareLoad: Math.round((p50 / quantile(bare, 0.5)) * 10) / 10,
      under1s: quantile(signIn, 0.9) < 1000 && quantile(home, 0.9) < 1000,
      runs: options.runs,
      dialect: 'sqlite',
      loadAverage1m: { before: Math.round(load * 10) / 10, after: Math.round(loadavg()[0]! * 10) / 10 },
    });
  } finally {
    await browser.close();
    server.stop();
    await server.exited;
    await db.drop();
  }
}
