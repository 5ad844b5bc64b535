// How long the console takes to draw the whole dashboard of a store, in Debian's chromium: starts the server
// jar on a copy of a DuckDB file (the bench's 1M-customer store, say), signs in, opens the dashboard page and
// times it until every widget is drawn (stats and tables in the page, every chart's canvas finished).
//
//   node clients/web/scripts/dashboard-load.mjs <crm.duckdb> [runs] [server arguments]   (from the repository's root,
//   after a build; e.g. --crm.plugins.dashboard.refresh-seconds=0 to time a first load computed by the request)
//
// Each run asks for the default range (the last 12 months), which the dashboard plugin computes in the background
// when it starts (crm.plugins.dashboard.refresh-seconds): the first run takes what that computation has kept, or
// waits for it while it runs. Prints one line per run (with the board's request time), then the median of the later runs.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../test/server.mjs';
import { openConsole } from './browser.mjs';

const [database, runsArgument, ...serverArguments] = process.argv.slice(2);
if (!database || !existsSync(database)) {
  console.error('usage: node clients/web/scripts/dashboard-load.mjs <crm.duckdb> [runs] [server arguments]');
  process.exit(2);
}
const runs = Number(runsArgument ?? 5);
// The server may migrate the file it opens: it gets a copy.
const work = mkdtempSync(join(tmpdir(), 'crm-dashboard-load-'));
const copy = join(work, 'crm.duckdb');
copyFileSync(database, copy);
const server = await startServer({ database: copy, logFile: join(work, 'server.log'), args: serverArguments });
let console_;
try {
  // Signed in on another page: the first dashboard drawn is the first timed.
  console_ = await openConsole(server.url, server.apiKey, '#/customers');
  const { page } = console_;
  const times = [];
  for (let run = 0; run < runs; run++) {
    await page.goto(server.url + '/console/#/customers');
    await page.waitForSelector('#count[data-total]');
    const started = Date.now();
    await page.goto(server.url + '/console/#/dashboard');
    await page.waitForSelector('#board[aria-busy=false]', { timeout: 120_000 });
    // Every chart card has drawn its canvas (ECharts' "finished"); stats and tables are in the page once the board is.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-widget] .chart')]
      .every((chart) => chart.closest('[data-widget]').dataset.rendered === 'true'), undefined, { timeout: 120_000 });
    const millis = Date.now() - started;
    const widgets = await page.$$eval('[data-widget]', (cards) => cards.length);
    // The board's one request, from the page's resource timings: the rest of the time is the page drawing it.
    const board = await page.evaluate(() => {
      const request = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/graphql')).at(-1);
      return { millis: Math.round(request.duration), bytes: request.encodedBodySize };
    });
    times.push(millis);
    console.log(`run ${run + 1}: ${millis} ms until all ${widgets} widgets were drawn; the board's request ${board.millis} ms, `
      + `${board.bytes} bytes${run === 0 ? ' (first after the start)' : ''}`);
  }
  const cached = times.slice(1).sort((a, b) => a - b);
  if (cached.length) {
    console.log(`median of the later runs: ${cached[Math.floor((cached.length - 1) / 2)]} ms`);
  }
} finally {
  await console_?.close();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
