import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** One GraphQL error as the server answers it: `extensions.code` always, and the object, field and value involved. */
export interface CrmGraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; object?: string; field?: string; value?: unknown; [key: string]: unknown };
}

/** A request the server refused, or an answer with errors; `code` is the first error's `extensions.code`. */
export class CrmError extends Error {
  readonly code: string;
  readonly errors: CrmGraphQLError[];
  readonly status: number;

  constructor(errors: CrmGraphQLError[], status: number) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'CrmError';
    this.errors = errors;
    this.status = status;
    this.code = errors[0]?.extensions?.code ?? 'HTTP_' + status;
  }
}

export interface CrmClientOptions {
  /** The server, e.g. `http://127.0.0.1:8080` (no trailing slash), or '' for the page's own origin. */
  url: string;
  /** An API key (`crm_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Send queries as automatic persisted queries: the hash first, the text only when the server asks for it. */
  persistedQueries?: boolean;
  fetch?: typeof fetch;
}

/** A Relay connection as every list of the API answers it. */
export interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: N[];
}

type Document<R, V> = TypedDocumentNode<R, V> | string;

/** What a finished job looks like to `waitForJob`; the `ImportJob` operation's shape. */
export interface JobProgress {
  id: string;
  state: string;
  processed: number;
  total: number;
  errorCount: number;
  message: string | null;
}

const FINISHED_JOB_STATES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED']);

const JOB_PROGRESS = `query JobProgress($id: ID!) {
  job(id: $id) { id name state processed total errorCount message startedAt finishedAt errors { row line column value reason } }
}`;

/**
 * The Storefront CRM API over fetch. Numbers of `Decimal` fields stay strings end to end (exact
 * money, never a double); `Long` fields are numbers up to 2^53 - 1 and strings beyond.
 */
export class CrmClient {
  private readonly options: CrmClientOptions;
  private readonly texts = new WeakMap<object, string>();
  private readonly hashes = new Map<string, string>();

  constructor(options: CrmClientOptions) {
    this.options = options;
  }

  /** Runs a query or mutation and answers its data; throws CrmError when the answer has errors. */
  async request<R, V>(document: Document<R, V>, variables?: V): Promise<R> {
    const query = this.text(document);
    if (!this.options.persistedQueries) {
      return this.post<R>({ query, variables });
    }
    const extensions = { persistedQuery: { version: 1, sha256Hash: await this.hash(query) } };
    try {
      return await this.post<R>({ extensions, variables });
    } catch (error) {
      if (error instanceof CrmError && error.code === 'PERSISTED_QUERY_NOT_FOUND') {
        return this.post<R>({ query, extensions, variables });
      }
      throw error;
    }
  }

  /**
   * Every node of a connection, page after page: `select` finds the connection in an answer, and the
   * query must take `$after`.
   */
  async *paginate<R, V extends { after?: string | null }, N>(
    document: Document<R, V>, variables: V, select: (data: R) => Connection<N> | null | undefined,
  ): AsyncGenerator<N> {
    let after = variables.after ?? null;
    for (;;) {
      const page = select(await this.request(document, { ...variables, after }));
      if (!page) {
        return;
      }
      yield* page.nodes;
      if (!page.pageInfo.hasNextPage) {
        return;
      }
      after = page.pageInfo.endCursor ?? null;
    }
  }

  /** Uploads a CSV file to an importer (`csv:customers`, `woocommerce:customers-csv`, …); answers the job id. */
  async importCsv(importer: string, csv: string | Blob, mapping?: Record<string, string>): Promise<string> {
    const query = mapping ? '?mapping=' + encodeURIComponent(JSON.stringify(mapping)) : '';
    const response = await this.fetch('/imports/' + encodeURIComponent(importer) + query, {
      method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv,
    });
    const body = await response.json();
    if (!response.ok) {
      throw new CrmError(body.errors ?? [{ message: body.message ?? response.statusText, extensions: { code: body.code } }], response.status);
    }
    return body.jobId;
  }

  /** Polls a job until it ends, calling `onProgress` with each state seen; answers the last one. */
  async waitForJob<J extends JobProgress = JobProgress>(id: string, onProgress?: (job: J) => void, intervalMs = 250): Promise<J> {
    for (;;) {
      const { job } = await this.request<{ job: J | null }, { id: string }>(JOB_PROGRESS, { id });
      if (!job) {
        throw new CrmError([{ message: 'No job ' + id, extensions: { code: 'NOT_FOUND' } }], 200);
      }
      onProgress?.(job);
      if (FINISHED_JOB_STATES.has(job.state)) {
        return job;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** Any other endpoint of the server (`/export/customers.csv?view=1`) with the key attached. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', 'Bearer ' + this.options.apiKey);
    return (this.options.fetch ?? fetch)(this.options.url + path, { ...init, headers });
  }

  private async post<R>(body: object): Promise<R> {
    const response = await this.fetch('/graphql', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
    });
    const answer = await response.json() as { data?: R; errors?: CrmGraphQLError[]; code?: string; message?: string };
    if (answer.errors?.length) {
      throw new CrmError(answer.errors, response.status);
    }
    if (!response.ok || answer.data === undefined) {
      throw new CrmError([{ message: answer.message ?? response.statusText, extensions: { code: answer.code } }], response.status);
    }
    return answer.data;
  }

  private text<R, V>(document: Document<R, V>): string {
    if (typeof document === 'string') {
      return document;
    }
    let text = this.texts.get(document);
    if (text === undefined) {
      text = print(document);
      this.texts.set(document, text);
    }
    return text;
  }

  private async hash(query: string): Promise<string> {
    let hash = this.hashes.get(query);
    if (hash === undefined) {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(query));
      hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
      this.hashes.set(query, hash);
    }
    return hash;
  }
}
