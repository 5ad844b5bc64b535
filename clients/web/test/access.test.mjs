// The console by keyboard alone, and at a phone's width (390 x 844) and a laptop's (1280 px), in Debian's
// chromium against the real server jar with the demo store (../../test/with-server.mjs sets CRM_URL and
// CRM_API_KEY). Screenshots go to clients/web/target/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { CrmClient } from '@storefront-crm/client';
import { openConsole } from '../scripts/browser.mjs';

const url = process.env.CRM_URL;
const apiKey = process.env.CRM_API_KEY;
const screenshots = new URL('../target/screenshots/', import.meta.url).pathname;
/** GraphQL through the TypeScript client, as an integrator would: it throws on any error. */
const crm = new CrmClient({ url, apiKey });
let page;
let close;

before(async () => {
  assert.ok(url && apiKey, 'Run through clients/test/with-server.mjs, which starts the server and sets CRM_URL and CRM_API_KEY');
  mkdirSync(screenshots, { recursive: true });
  ({ page, close } = await openConsole(url, apiKey));
});

after(async () => {
  await close?.();
});

/** Presses Tab (Shift+Tab when `backwards`) until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(selector, backwards = false, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      return;
    }
  }
  assert.fail(`${selector} is not reached by ${backwards ? 'Shift+Tab' : 'Tab'} within ${limit} presses`);
}

/** On the focused select, arrow keys until `value` is chosen (as a keyboard user picks an option). */
async function choose(value) {
  await page.keyboard.press('Home');
  for (let i = 0; i < 100; i++) {
    if (await page.evaluate(() => document.activeElement.value) === value) {
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`option ${value} is not reached by the arrow keys`);
}

/** The element that has the focus matches `selector` (after the page redrew, maybe a moment later). */
async function focused(selector) {
  await page.waitForFunction((s) => document.activeElement?.matches(s) ?? false, selector, { timeout: 15_000 });
}

test('by keyboard alone: the nav, a filter on the customers, a customer 360 and a kanban card moved and moved back', async () => {
  const where = { and: [{ lifetimeValue: { gt: '7500' } }] };
  const expected = await crm.request(`query ($where: CustomerWhere) {
    customers(first: 50, where: $where, orderBy: [{ field: ID }]) { totalCount nodes { id fullName } } }`, { where });
  assert.ok(expected.customers.totalCount > 0 && expected.customers.totalCount < 50);

  await page.goto(url + '/console/#/dashboard');
  await page.reload();
  await page.waitForSelector('#board[aria-busy=false]');
  // A page drawn anew hands the focus to its heading; the nav is before it.
  await focused('main h1');
  await tabTo('header nav a[href="#/customers"]', true);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#count[data-total]');
  await focused('main h1');

  await tabTo('#filter-field');
  await choose('lifetimeValue');
  await tabTo('#filter-operator');
  await choose('gt');
  await tabTo('#filter-value');
  await page.keyboard.type('7500');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#count[data-total="${expected.customers.totalCount}"]`);
  const ids = await page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.dataset.id));
  assert.deepEqual(ids, expected.customers.nodes.map((n) => n.id));

  const first = expected.customers.nodes[0];
  await tabTo(`#results tbody tr[data-id="${first.id}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#customer-name');
  assert.equal(await page.textContent('#customer-name'), first.fullName);
  await focused('#customer-name');
  await page.screenshot({ path: screenshots + 'keyboard-customer-360.png' });

  const { views } = await crm.request('{ views { id type } }');
  const view = views.find((v) => v.type === 'KANBAN').id;
  const board = async () => (await crm.request(`query ($view: ID!) { kanban(view: $view, first: 25) { columns { key entries { id } } } }`,
    { view })).kanban.columns;
  const columns = await board();
  // A card whose column has a column with a key on its right.
  const from = columns.findIndex((c, i) => c.key && c.entries.length && columns[i + 1]?.key);
  const card = columns[from].entries[0].id;
  const source = columns[from].key;
  const target = columns[from + 1].key;

  await tabTo('header nav a[href="#/kanban"]', true);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-column="${source}"] [data-id="${card}"]`);
  await tabTo(`[data-column="${source}"] [data-id="${card}"]`);
  await page.keyboard.press('ArrowRight');
  await focused(`[data-column="${target}"] [data-id="${card}"]`);
  assert.ok((await board()).find((c) => c.key === target).entries.some((e) => e.id === card), 'the move is stored');
  await page.screenshot({ path: screenshots + 'keyboard-kanban.png' });
  // The focus stayed on the card: the next key moves it on, here back where it was.
  await page.keyboard.press('ArrowLeft');
  await focused(`[data-column="${source}"] [data-id="${card}"]`);
  assert.ok((await board()).find((c) => c.key === source).entries.some((e) => e.id === card), 'the move back is stored');
});

for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['laptop', { width: 1280, height: 900 }]]) {
  test(`at ${viewport.width} px every page fits the screen's width and every nav link is on screen`, async () => {
    const { customers } = await crm.request('{ customers(first: 1, orderBy: [{ field: LIFETIME_VALUE, direction: DESC }]) { nodes { id } } }');
    await page.setViewportSize(viewport);
    const routes = await page.$$eval('header nav a', (links) => links.map((a) => a.getAttribute('href')));
    // The demo server runs with every bundled plugin, so the dashboard's and the workflows' pages are there too.
    assert.deepEqual(routes, ['#/dashboard', '#/customers', '#/kanban', '#/imports', '#/plugins', '#/workflows', '#/keys']);
    for (const route of [...routes, '#/customers/' + customers.nodes[0].id]) {
      await page.goto(url + '/console/' + route);
      // A whole load, so "no request for a moment" means the page has drawn its data.
      await page.reload({ waitUntil: 'networkidle' });
      await page.waitForSelector('main h1');
      const wider = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(wider, 0, `${route} is ${wider} px wider than the ${viewport.width} px screen`);
      const offScreen = await page.$$eval('header nav a', (links) => links.filter((a) => {
        const box = a.getBoundingClientRect();
        return box.left < 0 || box.right > document.documentElement.clientWidth || box.width === 0;
      }).map((a) => a.textContent));
      assert.deepEqual(offScreen, [], `nav links off screen on ${route}`);
      await page.screenshot({ path: `${screenshots}${name}-${route.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
}
