import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: the console is driven in it, never in a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium headless, sandbox off (containers), and quiet: no GPU, no background traffic, no updates, no first-run. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
