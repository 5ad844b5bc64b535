package dev.storefront.crm.graphql;

import dev.storefront.crm.graphql.types.SchemaGenerator;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import graphql.GraphQL;
import graphql.execution.instrumentation.Instrumentation;
import graphql.schema.GraphQLSchema;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.GraphQlSource;

/**
 * The GraphQL schema in force, swapped whole when the model changes. Spring asks for
 * {@link #graphQl()} once per request, so a request in flight finishes on the schema it began with
 * while the next one sees the new model; no restart, no lock on the request path.
 */
public class CrmGraphQlSource implements GraphQlSource {

    private static final Logger log = LoggerFactory.getLogger(CrmGraphQlSource.class);

    private final SchemaGenerator generator;
    private final List<DataFetcherExceptionResolver> resolvers;
    private final List<Instrumentation> instrumentations;
    private final int documentCacheSize;
    private final AtomicReference<Built> current = new AtomicReference<>();
    private final SchemaService schemaService;

    private record Built(long version, GraphQlSource source) {
    }

    public CrmGraphQlSource(SchemaGenerator generator, SchemaService schema, List<DataFetcherExceptionResolver> resolvers,
                            List<Instrumentation> instrumentations, int documentCacheSize) {
        this.generator = generator;
        this.resolvers = resolvers;
        this.instrumentations = instrumentations;
        this.documentCacheSize = documentCacheSize;
        this.schemaService = schema;
        schema.addListener(this::rebuild);
        rebuild(schema.current());
    }

    /**
     * Rebuilds from the current model although it did not change: something else that contributes
     * to the schema did (a plugin started or stopped).
     */
    public synchronized void refresh() {
        rebuild(schemaService.current(), true);
    }

    private void rebuild(MetadataSnapshot snapshot) {
        rebuild(snapshot, false);
    }

    /** Builds off to the side, then swaps; an older snapshot arriving late never replaces a newer one. */
    private synchronized void rebuild(MetadataSnapshot snapshot, boolean force) {
        Built built = current.get();
        if (!force && built != null && built.version() >= snapshot.version()) {
            return;
        }
        long started = System.nanoTime();
        GraphQLSchema schema = generator.generate(snapshot);
        DocumentCache documents = new DocumentCache(documentCacheSize);
        GraphQlSource source = GraphQlSource.builder(schema)
                .exceptionResolvers(resolvers)
                .instrumentation(instrumentations)
                .configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(documents))
                .build();
        current.set(new Built(snapshot.version(), source));
        log.info("GraphQL schema v{} built: {} objects in {} ms", snapshot.version(), snapshot.objects().size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public GraphQL graphQl() {
        return current.get().source().graphQl();
    }

    @Override
    public GraphQLSchema schema() {
        return current.get().source().schema();
    }
}
