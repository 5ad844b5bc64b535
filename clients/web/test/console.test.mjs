// The console in Debian's chromium (Playwright drives it; it never downloads a browser), against the
// real server jar with the demo store started by ../../test/with-server.mjs (CRM_URL, CRM_API_KEY).
// Screenshots go to clients/web/target/screenshots/.
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
let browser;
let page;
let close;

before(async () => {
  assert.ok(url && apiKey, 'Run through clients/test/with-server.mjs, which starts the server and sets CRM_URL and CRM_API_KEY');
  mkdirSync(screenshots, { recursive: true });
  ({ browser, page, close } = await openConsole(url, apiKey));
});

after(async () => {
  await close?.();
});

/**
 * A drag as a hand makes it: press, move a little (Chromium starts the drag then, on the element
 * pressed), then move over the target in steps and release. Locator.dragTo's single jump made
 * Chromium 150 start the drag on a neighbouring card.
 */
async function drag(source, target) {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 100, { steps: 10 });
  await page.mouse.up();
}

/** Records of an RFC 4180 text: line ends outside quotes. */
function records(csv) {
  let count = 0;
  let quoted = false;
  for (const [i, c] of [...csv].entries()) {
    if (c === '"') {
      quoted = !quoted;
    } else if (c === '\n' && !quoted && i < csv.length - 1) {
      count++;
    }
  }
  return count + 1;
}

/** How many values a widget answers: what its card must draw. */
function points(data) {
  switch (data.__typename) {
    case 'Stat': return data.value === null ? 0 : 1;
    case 'Table': return data.rows.length;
    case 'Series': return data.labels.length;
    case 'Matrix': return data.layers[0].values.flat().filter((v) => v !== null).length;
    default: throw new Error(data.__typename);
  }
}

test('a wrong API key is refused in words, and the console asks again', async () => {
  const other = await browser.newPage();
  await other.goto(url + '/console/');
  await other.fill('#api-key', 'crm_not-a-key');
  await other.click('button[type=submit]');
  assert.equal(await other.textContent('[role=alert]'), 'That API key is unknown, revoked or expired.');
  await other.close();
});

test('the dashboard draws every widget of the board with its data', async () => {
  const { dashboard } = await crm.request(`{ dashboard { widgets { id kind data { __typename
    ... on Series { labels } ... on Stat { value } ... on Table { rows } ... on Matrix { layers { values } } } } } }`);
  await page.goto(url + '/console/#/dashboard');
  await page.waitForSelector('#board[aria-busy=false]');
  const shown = await page.$$eval('[data-widget]', (cards) => cards.map((c) => c.dataset.widget));
  assert.deepEqual(shown, dashboard.widgets.map((w) => w.id));
  for (const widget of dashboard.widgets) {
    const card = page.locator(`[data-widget="${widget.id}"]`);
    assert.equal(await card.getAttribute('data-points'), String(points(widget.data)), widget.id);
    if (['LINE', 'BAR', 'PIE', 'HEATMAP'].includes(widget.kind)) {
      await card.locator('canvas').first().waitFor();
      await page.waitForSelector(`[data-widget="${widget.id}"][data-rendered=true]`);
    }
    if (widget.kind === 'STAT') {
      assert.equal(await card.locator('.stat').textContent(), Number(widget.data.value).toLocaleString('en-US'), widget.id);
    }
    if (widget.kind === 'TABLE') {
      assert.equal(await card.locator('tbody tr').count(), widget.data.rows.length, widget.id);
    }
  }
  // Every widget of the demo store has data but the predicted CLV one, which waits for the CLV plugin's predictions.
  const empty = dashboard.widgets.filter((w) => points(w.data) === 0).map((w) => w.id);
  assert.deepEqual(empty, dashboard.widgets.some((w) => w.id === 'predicted-clv-by-source') ? ['predicted-clv-by-source'] : []);
  await page.screenshot({ path: screenshots + 'dashboard.png', fullPage: true });
  await page.screenshot({ path: screenshots + 'dashboard-top.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshots + 'dashboard-phone.png' });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('a filter narrows the customers table to the expected rows, and a header sorts them', async () => {
  const where = { and: [{ lifetimeValue: { gt: '7500' } }] };
  const expected = await crm.request(`query ($where: CustomerWhere, $orderBy: [CustomerOrderBy!]) {
    all: customersAggregate { count }
    filtered: customers(first: 50, where: $where, orderBy: $orderBy) { totalCount nodes { id } } }`, { where, orderBy: [{ field: 'ID' }] });
  const sorted = await crm.request(`query ($where: CustomerWhere) {
    customers(first: 50, where: $where, orderBy: [{ field: LIFETIME_VALUE, direction: ASC }]) { nodes { id } } }`, { where });

  await page.goto(url + '/console/#/customers');
  await page.waitForSelector(`#count[data-total="${expected.all[0].count}"]`);
  await page.selectOption('#filter-field', 'lifetimeValue');
  await page.selectOption('#filter-operator', 'gt');
  await page.fill('#filter-value', '7500');
  await page.click('#filter-form button[type=submit]');
  await page.waitForSelector(`#count[data-total="${expected.filtered.totalCount}"]`);
  assert.ok(expected.filtered.totalCount < expected.all[0].count);
  const ids = async () => page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.dataset.id));
  assert.deepEqual(await ids(), expected.filtered.nodes.map((n) => n.id));

  await page.click('#results th button:text-is("Lifetime value")');
  await page.waitForSelector('#results th[aria-sort=ascending]');
  assert.deepEqual(await ids(), sorted.customers.nodes.map((n) => n.id));
  await page.screenshot({ path: screenshots + 'customers-filtered.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.click('#export');
  const csv = await (await download).createReadStream().then((stream) => stream.toArray()).then((parts) => Buffer.concat(parts).toString('utf8'));
  assert.equal(records(csv), 1 + expected.filtered.totalCount);
});

test('a customer row opens the customer 360 with profile, metrics, orders and returns', async () => {
  // The table's first row: it lists by id.
  const { customers } = await crm.request('{ customers(first: 1) { nodes { id } } }');
  const { customer } = await crm.request(`query ($id: ID!) { customer(id: $id) { fullName email lifetimeValue
    orders(first: 1) { totalCount } returns(first: 1) { totalCount } supportTickets(first: 1) { totalCount } } }`, { id: customers.nodes[0].id });
  await page.goto(url + '/console/#/customers');
  await page.reload(); // the page is on #/customers with the last test's filter: start unfiltered
  await page.click(`#results tbody tr[data-id="${customers.nodes[0].id}"]`);
  await page.waitForSelector('#customer-name');
  assert.equal(await page.textContent('#customer-name'), customer.fullName);
  const titles = await page.$$eval('main section h2', (hs) => hs.map((x) => x.textContent));
  assert.deepEqual(titles, ['Profile', 'Metrics and predictions', `Orders (${customer.orders.totalCount})`, `Returns (${customer.returns.totalCount})`,
    `Support tickets (${customer.supportTickets.totalCount})`, 'Segment history', titles[6]]);
  assert.match(titles[6], /^Campaigns \(\d+\)$/);
  assert.equal(await page.locator('main details').count(), Math.min(customer.orders.totalCount, 20));
  assert.equal(await page.textContent('dt:text-is("Lifetime value") + dd'), customer.lifetimeValue);
  await page.screenshot({ path: screenshots + 'customer-360.png', fullPage: true });
});

test('a kanban drag moves a customer, and the move is still there after a reload', async () => {
  const { kanban } = await crm.request(`{ kanban(view: "4", first: 25) { columns { key entries { id ... on Customer { lifetimeValue } } } } }`);
  // The board sorts by lifetime value: the customer with the highest one stays on the first page of any column.
  const columns = kanban.columns.filter((c) => c.key);
  const source = columns.filter((c) => c.entries.length)
    .reduce((best, c) => Number(c.entries[0].lifetimeValue) > Number(best.entries[0].lifetimeValue) ? c : best);
  const customer = source.entries[0].id;
  const target = columns.find((c) => c.key !== source.key);

  await page.goto(url + '/console/#/kanban/4');
  const card = page.locator(`[data-column="${source.key}"] [data-id="${customer}"]`);
  await card.waitFor();
  await drag(card, page.locator(`[data-column="${target.key}"]`));
  await page.waitForSelector(`[data-column="${target.key}"] [data-id="${customer}"]`);
  await page.reload();
  await page.waitForSelector(`[data-column="${target.key}"] [data-id="${customer}"]`);
  assert.equal(await page.locator(`[data-column="${source.key}"] [data-id="${customer}"]`).count(), 0);
  const { customer: moved } = await crm.request('query ($id: ID!) { customer(id: $id) { customerSegment } }', { id: customer });
  assert.equal(moved.customerSegment, target.key);
  await page.screenshot({ path: screenshots + 'kanban.png' });
});

test('an import shows its progress to completion, then the refused row', async () => {
  const stamp = Date.now();
  const csv = `Email,Full Name,Total Orders\nweb-a-${stamp}@example.com,Ada Web,\nnot-an-email,Bob Web,\nweb-c-${stamp}@example.com,Cy Web,\n`;
  await page.goto(url + '/console/#/imports');
  await page.selectOption('#importer', 'csv:customers');
  await page.setInputFiles('#file', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.evaluate(() => {
    const status = document.getElementById('import-status');
    window.importStates = [];
    new MutationObserver(() => window.importStates.push(status.dataset.state)).observe(status, { attributes: true, attributeFilter: ['data-state'] });
  });
  await page.click('form button[type=submit]');
  await page.waitForSelector('#import-status[data-state=SUCCEEDED]');
  assert.equal(await page.getAttribute('#progress', 'max'), '3');
  assert.equal(await page.$eval('#progress', (bar) => bar.value), 3);
  assert.match(await page.textContent('#import-status'), /^SUCCEEDED: 3 of 3 rows, 1 refused/);
  assert.equal((await page.evaluate(() => window.importStates)).at(-1), 'SUCCEEDED');
  await page.waitForSelector('#bad-rows tbody tr');
  const rows = await page.$$eval('#bad-rows tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].slice(0, 4), ['2', '3', 'Email', 'not-an-email']);
  const { customersAggregate } = await crm.request(`{ customersAggregate(where: { email: { endsWith: "-${stamp}@example.com" } }) { count } }`);
  assert.equal(customersAggregate[0].count, 2);
  await page.screenshot({ path: screenshots + 'import.png' });
});
