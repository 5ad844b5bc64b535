// Debian's chromium driven by playwright-core (it never downloads a browser), signed in to the console.
// Shared by the browser tests (test/) and the dashboard load measure (dashboard-load.mjs).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * A headless chromium with a profile of its own, one page signed in at `url + /console/` with `apiKey`, on the
 * page of `hash` (the first page, the dashboard, when empty). Answers { browser, page, close }.
 */
export async function openConsole(url, apiKey, hash = '') {
  if (!existsSync(executablePath)) {
    throw new Error(`No browser at ${executablePath}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'crm-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(url + '/console/' + hash);
  await page.fill('#api-key', apiKey);
  await page.click('button[type=submit]');
  await page.waitForSelector('header nav');
  const close = async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { browser, page, close };
}
