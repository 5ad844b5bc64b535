// Writes the live server's schema to clients/schema.graphql, the snapshot the client is generated from
// and the breaking-change test compares against.
// Usage: CRM_URL=http://127.0.0.1:8080 CRM_API_KEY=crm_… npm run schema -w typescript
import { writeFileSync } from 'node:fs';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';

const url = process.env.CRM_URL ?? 'http://127.0.0.1:8080';
const key = process.env.CRM_API_KEY;
if (!key) {
  console.error('Set CRM_API_KEY to an API key of the server at ' + url);
  process.exit(1);
}
const response = await fetch(url + '/graphql', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + key },
  body: JSON.stringify({ query: getIntrospectionQuery() }),
});
const body = await response.json();
if (!body.data) {
  console.error(JSON.stringify(body.errors ?? body));
  process.exit(1);
}
const target = new URL('../../schema.graphql', import.meta.url);
writeFileSync(target, printSchema(lexicographicSortSchema(buildClientSchema(body.data))) + '\n');
console.log('Wrote ' + target.pathname);
