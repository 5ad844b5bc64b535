// Runs against the real server jar started by ../test/with-server.mjs (CRM_URL, CRM_API_KEY).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { before, test } from 'node:test';
import {
  buildClientSchema, buildSchema, findBreakingChanges, getIntrospectionQuery, parse, printSchema, validate, validateSchema,
  type GraphQLSchema, type IntrospectionQuery,
} from 'graphql';
import {
  CrmClient, CrmError, CreateOrderDocument, Customer360Document, CustomersByViewDocument, DashboardBoardDocument,
  ImportJobDocument, SegmentMembersDocument,
} from '../src/index.js';

const url = process.env.CRM_URL!;
const apiKey = process.env.CRM_API_KEY!;
const here = new URL('../../', import.meta.url); // dist/test/ → the package folder
const operationsDir = new URL('operations/', here);
const client = new CrmClient({ url, apiKey });
let live: GraphQLSchema;

before(async () => {
  assert.ok(url && apiKey, 'Run through ../test/with-server.mjs, which starts the server and sets CRM_URL and CRM_API_KEY');
  live = buildClientSchema(await client.request<IntrospectionQuery, undefined>(getIntrospectionQuery()));
});

test('the live schema is valid', () => {
  assert.deepEqual(validateSchema(live).map(String), []);
});

test('the live schema has no breaking change against the committed clients/schema.graphql', () => {
  const committed = buildSchema(readFileSync(new URL('../schema.graphql', here), 'utf8'));
  // Both sides through buildSchema, so graphql-js's built-in directives are the same on each.
  const breaking = findBreakingChanges(committed, buildSchema(printSchema(live))).map((c) => `${c.type}: ${c.description}`);
  assert.deepEqual(breaking, [], 'Clients built on clients/schema.graphql would break; if intended, refresh it with `npm run schema -w typescript`');
});

test('every shipped operation is valid against the live schema', () => {
  const files = readdirSync(operationsDir).filter((f) => f.endsWith('.graphql')).sort();
  assert.deepEqual(files, ['createOrder.graphql', 'customer360.graphql', 'customersByView.graphql', 'dashboardBoard.graphql',
    'importJob.graphql', 'segmentMembers.graphql']);
  for (const file of files) {
    const errors = validate(live, parse(readFileSync(new URL(file, operationsDir), 'utf8')));
    assert.deepEqual(errors.map(String), [], file);
  }
});

test('CreateOrder and Customer360: the new order counts at once, Decimal values stay exact strings', async () => {
  const stamp = Date.now();
  const email = `ts-client-${stamp}@example.com`;
  const { createCustomer } = await client.request<{ createCustomer: { id: string } }, { email: string }>(
    'mutation ($email: String!) { createCustomer(input: { email: $email, fullName: "Typed Client" }) { id } }', { email });
  const { createOrder } = await client.request(CreateOrderDocument, { input: {
    orderNumber: `#TS-${stamp}`, customerId: createCustomer.id, orderDate: '2026-11-20T10:15:00Z', totalAmount: '129.90', status: 'PENDING',
  } });
  assert.equal(createOrder.totalAmount, '129.9');
  assert.deepEqual(createOrder.customer, { id: createCustomer.id, fullName: 'Typed Client', totalOrders: 1, lifetimeValue: '129.9' });

  const { customer } = await client.request(Customer360Document, { id: createCustomer.id });
  assert.ok(customer);
  assert.equal(customer.email, email);
  assert.equal(customer.averageOrderValue, '129.9');
  assert.deepEqual(customer.orders.nodes.map((o) => [o.orderNumber, o.totalAmount, o.status, o.orderItems.nodes.length]),
    [[`#TS-${stamp}`, '129.9', 'PENDING', 0]]);
  assert.equal(customer.returns.totalCount, 0);
  assert.equal(customer.supportTickets.totalCount, 0);
});

test('CustomersByView answers the view\'s filter, in its order', async () => {
  const data = await client.request(CustomersByViewDocument, { view: '1', first: 5 });
  const expected = await client.request<{ customers: { totalCount: number; nodes: { id: string }[] } }, undefined>(
    `{ customers(first: 5, where: { lifetimeValue: { gt: 500 }, totalOrders: { gt: 3 } },
                 orderBy: [{ field: LIFETIME_VALUE, direction: DESC }]) { totalCount nodes { id } } }`);
  assert.equal(data.viewEntries.totalCount, expected.customers.totalCount);
  assert.deepEqual(data.viewEntries.nodes.map((n) => n.id), expected.customers.nodes.map((n) => n.id));
});

test('SegmentMembers: cursor iteration yields every member once, highest lifetime value first', async () => {
  const ids: string[] = [];
  const values: number[] = [];
  for await (const member of client.paginate(SegmentMembersDocument, { segment: 'VIP', first: 7 }, (d) => d.customers)) {
    ids.push(member.id);
    values.push(Number(member.lifetimeValue ?? 0));
  }
  const { customersAggregate } = await client.request<{ customersAggregate: { count: number }[] }, undefined>(
    '{ customersAggregate(where: { customerSegment: { eq: VIP } }) { count } }');
  assert.equal(ids.length, customersAggregate[0].count);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(values, [...values].sort((a, b) => b - a));
});

test('DashboardBoard: every widget of the board answers its typed data', async () => {
  const { dashboard } = await client.request(DashboardBoardDocument, { range: { from: '2026-01-01', to: '2026-06-30' } });
  assert.deepEqual([dashboard.from, dashboard.to, dashboard.timeZone], ['2026-01-01', '2026-06-30', 'UTC']);
  const expectedType: Record<string, string> = { STAT: 'Stat', LINE: 'Series', BAR: 'Series', PIE: 'Series', TABLE: 'Table', HEATMAP: 'Matrix' };
  for (const widget of dashboard.widgets) {
    assert.equal(widget.error, null, widget.id);
    assert.equal(widget.data?.__typename, expectedType[widget.kind], widget.id);
  }
  const revenue = dashboard.widgets.find((w) => w.id === 'revenue-trend')?.data;
  assert.ok(revenue?.__typename === 'Series');
  assert.deepEqual(revenue.labels, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
});

test('importCsv and ImportJob: progress to completion, the bad row reported by row and field', async () => {
  const stamp = Date.now();
  const csv = `Email,Full Name\nimport-a-${stamp}@example.com,Ada\nnot-an-email,Bob\nimport-c-${stamp}@example.com,Cy\n`;
  const seen: string[] = [];
  const jobId = await client.importCsv('csv:customers', csv);
  const last = await client.waitForJob(jobId, (job) => seen.push(job.state));
  assert.equal(last.state, 'SUCCEEDED');
  assert.equal(seen.at(-1), 'SUCCEEDED');
  const { job } = await client.request(ImportJobDocument, { id: jobId });
  assert.ok(job);
  assert.deepEqual([job.total, job.processed, job.errorCount], [3, 3, 1]);
  assert.deepEqual(job.errors.map((e) => [e.row, e.value]), [[2, 'not-an-email']]);
});

test('persisted queries: the text is sent once, then the hash alone', async () => {
  const bodies: string[] = [];
  const counting: typeof fetch = (input, init) => {
    bodies.push(String(init?.body));
    return fetch(input, init);
  };
  const persisted = new CrmClient({ url, apiKey, persistedQueries: true, fetch: counting });
  const query = `{ customersAggregate(where: { email: { endsWith: "@persisted-${Date.now()}.example" } }) { count } }`;
  assert.deepEqual(await persisted.request(query), { customersAggregate: [{ count: 0 }] });
  assert.deepEqual(await persisted.request(query), { customersAggregate: [{ count: 0 }] });
  assert.deepEqual(bodies.map((b) => 'query' in JSON.parse(b)), [false, true, false]);
});

test('a refused request throws CrmError with the server\'s code and field', async () => {
  await assert.rejects(client.request('mutation { createCustomer(input: { email: "not-an-email" }) { id } }'),
    (error: unknown) => error instanceof CrmError && error.code === 'VALIDATION' && error.errors[0].extensions?.field === 'email');
  const anonymous = new CrmClient({ url, apiKey: 'crm_unknown' });
  await assert.rejects(anonymous.request('{ views { id } }'), (error: unknown) => error instanceof CrmError && error.code === 'UNAUTHENTICATED');
});
