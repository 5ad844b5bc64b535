import { CrmClient, CrmError } from '@storefront-crm/client';

/** What the console learns at sign-in: the schema's root query fields and the customer fields, so it can adapt to the plugins present. */
export interface SchemaFacts {
  queryFields: Set<string>;
  customerFields: { name: string; type: string }[];
  customerSortFields: string[];
}

const KEY = 'crm.apiKey';

export let client: CrmClient | null = null;
export let facts: SchemaFacts | null = null;

// Separate requests: graphql-java refuses an introspection query that lists `fields` of two types at once.
const QUERY_FIELDS = '{ __schema { queryType { fields { name } } } }';
const CUSTOMER_FIELDS = '{ __type(name: "Customer") { fields { name type { kind name ofType { kind name } } } } }';
const SORT_FIELDS = '{ __type(name: "CustomerSortField") { enumValues { name } } }';

interface TypeAnswer {
  __type: {
    fields?: { name: string; type: { kind: string; name: string | null; ofType: { kind: string; name: string } | null } }[];
    enumValues?: { name: string }[];
  };
}

/** Signs in with an API key (kept for this browser tab only); answers a store owner's message when the key is refused. */
export async function signIn(apiKey: string): Promise<string | null> {
  const candidate = new CrmClient({ url: '', apiKey, persistedQueries: true });
  try {
    const [query, customer, sort] = await Promise.all([
      candidate.request<{ __schema: { queryType: { fields: { name: string }[] } } }, undefined>(QUERY_FIELDS),
      candidate.request<TypeAnswer, undefined>(CUSTOMER_FIELDS),
      candidate.request<TypeAnswer, undefined>(SORT_FIELDS)]);
    facts = {
      queryFields: new Set(query.__schema.queryType.fields.map((f) => f.name)),
      customerFields: (customer.__type.fields ?? [])
        .map((f) => ({ name: f.name, type: f.type.kind === 'NON_NULL' ? f.type.ofType?.name ?? '' : f.type.name ?? '' }))
        .filter((f) => f.type !== '' && !f.type.endsWith('Connection') && f.type !== 'Company'),
      customerSortFields: (sort.__type.enumValues ?? []).map((v) => v.name),
    };
    client = candidate;
    sessionStorage.setItem(KEY, apiKey);
    return null;
  } catch (error) {
    return error instanceof CrmError && error.code === 'UNAUTHENTICATED'
      ? 'That API key is unknown, revoked or expired.' : 'Could not sign in: ' + String((error as Error).message);
  }
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  client = null;
  facts = null;
}

export function api(): CrmClient {
  if (!client) {
    throw new Error('Not signed in');
  }
  return client;
}
