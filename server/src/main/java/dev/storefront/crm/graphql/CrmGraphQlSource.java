package dev.storefront.crm.graphql;

import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLObjectType.newObject;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.GeneratedSchema;
import dev.storefront.crm.graphql.types.SchemaGenerator;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.security.CustomRole;
import graphql.GraphQL;
import graphql.Scalars;
import graphql.execution.instrumentation.Instrumentation;
import graphql.schema.GraphQLSchema;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.GraphQlSource;

/**
 * The GraphQL schema in force, swapped whole when the model changes. Spring asks for
 * {@link #graphQl()} once per request, so a request in flight finishes on the schema it began with
 * while the next one sees the new model; no restart, no lock on the request path.
 *
 * <p>For a model change it is a {@link dev.storefront.crm.schema.ModelStage}: the candidate schema
 * is built before the change commits, and a change whose schema cannot be built (a name clash) is
 * refused with nothing written.
 *
 * <p>Nothing is built before {@link #open()}: at start the YAML, the views and each plugin change
 * the model or the contributions one after the other, and no request is served until all are in, so
 * the schema is built once, when the server opens. Meanwhile a model change is checked by the names
 * it claims alone ({@link SchemaGenerator#leftOut}, and {@link SchemaGenerator#refusedContributions}
 * for the names started plugins claim), which is what refuses a change during a build.
 */
public class CrmGraphQlSource implements GraphQlSource {

    private static final Logger log = LoggerFactory.getLogger(CrmGraphQlSource.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final SchemaGenerator generator;
    private final List<DataFetcherExceptionResolver> resolvers;
    private final List<Instrumentation> instrumentations;
    private final int documentCacheSize;
    private final SchemaService schemaService;
    private final List<BiConsumer<String, String>> refusalListeners = new CopyOnWriteArrayList<>();
    private volatile Built current;
    /** False until {@link #open()}: builds wait for the server to open. */
    private boolean opened;
    /**
     * In force until {@link #open()}. The web server starts after it, so no request reaches this;
     * Spring's services built before it only read its settings.
     */
    private final GraphQlSource starting;
    /** Counts refreshes: a schema prepared before a plugin started or stopped lacks that change. */
    private long contributions;

    /** @param roles the schema of each custom role, derived from this one when a key of the role first asks */
    private record Built(long version, long contributions, GeneratedSchema generated, GraphQlSource source,
                         Map<CustomRole, GraphQlSource> roles) {
    }

    public CrmGraphQlSource(SchemaGenerator generator, SchemaService schema, List<DataFetcherExceptionResolver> resolvers,
                            List<Instrumentation> instrumentations, int documentCacheSize) {
        this.generator = generator;
        this.resolvers = resolvers;
        this.instrumentations = instrumentations;
        this.documentCacheSize = documentCacheSize;
        this.schemaService = schema;
        this.starting = source(GraphQLSchema.newSchema().query(newObject().name("Query")
                .field(newFieldDefinition().name("starting").type(Scalars.GraphQLBoolean))).build());
        schema.addStage(this::prepare);
    }

    /** Builds the schema of the model and contributions as they are now and serves it; later changes rebuild it. */
    public synchronized void open() {
        opened = true;
        install(build(schemaService.current()));
    }

    /** Told which contribution (by owner) each installed schema had to leave out, and why. */
    public void addRefusalListener(BiConsumer<String, String> listener) {
        refusalListeners.add(listener);
    }

    /**
     * Rebuilds from the current model although it did not change: something else that contributes
     * to the schema did (a plugin started or stopped).
     */
    public synchronized void refresh() {
        contributions++;
        if (opened) {
            install(build(schemaService.current()));
        }
    }

    /** What a stored model could not serve: objects left out at start, by api name, with the reason. */
    public Map<String, String> leftOut() {
        return current.generated().leftOut();
    }

    /**
     * Builds the candidate's schema and refuses the change if it would leave out an object or a
     * plugin's API that the schema in force serves. What a stored model already left out stays out
     * without blocking unrelated changes.
     */
    private Runnable prepare(MetadataSnapshot candidate) {
        synchronized (this) {
            if (!opened) {
                MetadataSnapshot now = schemaService.current();
                refuseNewlyLeftOut(generator.leftOut(candidate), generator.leftOut(now));
                refuseNewlyRefused(generator.refusedContributions(candidate), generator.refusedContributions(now));
                return () -> { };
            }
        }
        Built built = build(candidate);
        Built before = current;
        refuseNewlyLeftOut(built.generated().leftOut(), before.generated().leftOut());
        refuseNewlyRefused(built.generated().refused(), before.generated().refused());
        return () -> install(built);
    }

    /** Refuses a change that takes away a plugin's API, unless the schema in force already lacks it. */
    private static void refuseNewlyRefused(Map<String, String> candidate, Map<String, String> current) {
        candidate.forEach((owner, reason) -> {
            if (!current.containsKey(owner)) {
                throw new CrmException(ErrorCode.VALIDATION, "This change cannot be made: plugin " + owner
                        + " would lose its API (" + reason + "); choose another name", Map.of("plugin", owner));
            }
        });
    }

    private static void refuseNewlyLeftOut(Map<String, String> candidate, Map<String, String> current) {
        candidate.forEach((object, reason) -> {
            if (!current.containsKey(object)) {
                throw new CrmException(ErrorCode.VALIDATION, "This change cannot be made: " + reason
                        + "; choose another name", Map.of("object", object));
            }
        });
    }

    private synchronized Built build(MetadataSnapshot snapshot) {
        long started = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        GeneratedSchema generated = generator.generate(snapshot);
        GraphQlSource source = source(generated.schema());
        // The CPU time too: on a busy machine it is the figure that does not depend on the other work.
        log.info("GraphQL schema v{} built: {} objects in {} ms ({} ms CPU)", snapshot.version(),
                generated.served().objects().size(), (System.nanoTime() - started) / 1_000_000,
                (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
        return new Built(snapshot.version(), contributions, generated, source, new ConcurrentHashMap<>());
    }

    /**
     * The schema in force as {@code role} sees it, cached per (schema in force, role definition): a
     * model change or plugin start makes a new one, and so does a change of the role.
     */
    public GraphQlSource forRole(CustomRole role) {
        Built built = current;
        GraphQlSource cached = built.roles().get(role);
        if (cached != null) {
            return cached;
        }
        // The role changed: its earlier definition's schema is of no more use.
        built.roles().keySet().removeIf(earlier -> earlier.name().equals(role.name()));
        return built.roles().computeIfAbsent(role, r -> {
            long started = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            GraphQlSource source = source(RoleSchema.restrict(built.generated().schema(), built.generated().served(), r));
            log.info("GraphQL schema v{} for role {} derived in {} ms ({} ms CPU)", built.version(), r.name(),
                    (System.nanoTime() - started) / 1_000_000, (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
            return source;
        });
    }

    /**
     * Our resolvers and instrumentation over {@code schema}, with a document cache of its own
     * (validation is per schema). Not Spring's {@code GraphQlSource.builder}: it walks the whole
     * schema again, a cost that grows with the square of the longest relation chain, to wrap every
     * fetcher for reactive values and thread-local context, and ours return plain values or futures
     * on the request thread.
     */
    private GraphQlSource source(GraphQLSchema schema) {
        GraphQL graphQl = GraphQL.newGraphQL(schema)
                .defaultDataFetcherExceptionHandler(DataFetcherExceptionResolver.createExceptionHandler(resolvers))
                .instrumentation(new InstrumentationChain(instrumentations))
                .preparsedDocumentProvider(new DocumentCache(documentCacheSize))
                .build();
        return new GraphQlSource() {
            @Override
            public GraphQL graphQl() {
                return graphQl;
            }

            @Override
            public GraphQLSchema schema() {
                return schema;
            }
        };
    }

    /** Puts {@code built} in force unless something newer is; rebuilt if a plugin changed since it was prepared. */
    private synchronized void install(Built built) {
        if (current != null && current.version() > built.version()) {
            return;
        }
        Built next = built.contributions() == contributions ? built : build(schemaService.current());
        if (current == null || !current.generated().leftOut().equals(next.generated().leftOut())) {
            next.generated().leftOut().forEach((object, reason) ->
                    log.error("Object {} is left out of the GraphQL API: {}", object, reason));
        }
        current = next;
        next.generated().refused().forEach((owner, reason) -> refusalListeners.forEach(l -> l.accept(owner, reason)));
    }

    @Override
    public GraphQL graphQl() {
        return inForce().graphQl();
    }

    @Override
    public GraphQLSchema schema() {
        return inForce().schema();
    }

    private GraphQlSource inForce() {
        Built built = current;
        return built == null ? starting : built.source();
    }
}
