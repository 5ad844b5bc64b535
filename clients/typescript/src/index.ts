export { CrmClient, CrmError } from './client.js';
export type { CrmClientOptions, CrmGraphQLError, Connection, JobProgress } from './client.js';
export * from './generated/graphql.js';
