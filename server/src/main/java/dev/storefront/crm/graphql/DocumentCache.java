package dev.storefront.crm.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.execution.preparsed.persisted.ApolloPersistedQuerySupport;
import graphql.execution.preparsed.persisted.PersistedQueryCache;
import graphql.execution.preparsed.persisted.PersistedQueryCacheMiss;
import graphql.execution.preparsed.persisted.PersistedQueryNotFound;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents of one schema, least recently used dropped first: by query text,
 * and by SHA-256 for Apollo's automatic persisted queries ({@code extensions.persistedQuery}: a
 * hash alone is answered from here or with PERSISTED_QUERY_NOT_FOUND; a hash with its query is
 * checked against the query, then kept). Clients send the same few queries over and over; without
 * this every request is parsed and validated again. A new schema gets a new cache, since
 * validation depends on the schema; clients then send their persisted queries once more.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final Map<String, PreparsedDocumentEntry> byText;
    private final PreparsedDocumentProvider persisted;

    DocumentCache(int capacity) {
        this.byText = lru(capacity);
        this.persisted = new ApolloPersistedQuerySupport(new Persisted(lru(capacity)));
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                     Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        if (input.getExtensions().containsKey("persistedQuery")) {
            return persisted.getDocumentAsync(input, parseAndValidate);
        }
        PreparsedDocumentEntry cached = byText.get(input.getQuery());
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        PreparsedDocumentEntry entry = parseAndValidate.apply(input);
        if (!entry.hasErrors()) {
            byText.put(input.getQuery(), entry);
        }
        return CompletableFuture.completedFuture(entry);
    }

    private static <K> Map<K, PreparsedDocumentEntry> lru(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, PreparsedDocumentEntry> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * Persisted documents by hash. A request that brings its query is checked against the hash
     * ({@code onMiss} answers PersistedQueryIdInvalid for a mismatch) and kept; a hash alone is
     * answered from here.
     */
    private record Persisted(Map<Object, PreparsedDocumentEntry> entries) implements PersistedQueryCache {

        @Override
        public CompletableFuture<PreparsedDocumentEntry> getPersistedQueryDocumentAsync(Object id, ExecutionInput input,
                                                                                      PersistedQueryCacheMiss onMiss) {
            if (!PersistedQuerySupport.PERSISTED_QUERY_MARKER.equals(input.getQuery())) {
                PreparsedDocumentEntry entry = onMiss.apply(input.getQuery());
                if (!entry.hasErrors()) {
                    entries.put(id, entry);
                }
                return CompletableFuture.completedFuture(entry);
            }
            PreparsedDocumentEntry known = entries.get(id);
            if (known == null) {
                throw new PersistedQueryNotFound(id);
            }
            return CompletableFuture.completedFuture(known);
        }
    }
}
