package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.loaders.EntryLoaders;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.GlobalIds;
import dev.storefront.crm.metadata.SystemFields;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import dev.storefront.crm.storage.PageRequest;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;
import dev.storefront.crm.graphql.types.CrmScalars;
import dev.storefront.crm.graphql.types.TypeNames;
import graphql.schema.DataFetchingEnvironment;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The data fetchers of generated types, one factory method per operation. Each closes over the
 * metadata snapshot its schema was built from.
 */
public final class EntryFetchers {

    private static final String TOTAL_COUNT = "totalCount";
    /** An entry's versions, as its GraphQL type names them. */
    private static final Set<String> VERSIONS = Set.of("createdAt", "updatedAt");

    private final EntryService entries;
    private final PageLimits limits;
    private final Cursors cursors;

    public EntryFetchers(EntryService entries, PageLimits limits, Cursors cursors) {
        this.entries = entries;
        this.limits = limits;
        this.cursors = cursors;
    }

    public DataFetcher<Entry> findOne(ObjectDef object) {
        return env -> {
            List<Entry> found = entries.getAll(object, List.of(id(object, env.getArgument("id"))), selectedFields(object, env, "*"));
            return found.isEmpty() ? null : found.get(0);
        };
    }

    public DataFetcher<Connection> findMany(MetadataSnapshot model, ObjectDef object) {
        return env -> {
            ListQuery query = listQuery(model, object, env);
            Cursors.OfList list = list("list:" + object.apiName(), env);
            EntryPage page = entries.page(model, object, query, pageRequest(env, list), selectedFields(object, env));
            Long total = SelectedNames.at(env, "*").contains(TOTAL_COUNT) ? entries.count(model, object, query.filter()) : null;
            return new Connection(page, list, total);
        };
    }

    public DataFetcher<Entry> create(ObjectDef object) {
        InputMapper names = new InputMapper(object);
        // An object with no fields takes no input: its entries are created empty.
        return env -> entries.create(object, names.toApiNames(env.getArgumentOrDefault("input", Map.of())));
    }

    public DataFetcher<List<Entry>> createMany(ObjectDef object) {
        InputMapper names = new InputMapper(object);
        return env -> {
            List<Map<String, Object>> inputs = env.getArgument("inputs");
            if (inputs.size() > limits.maxBatchSize()) {
                throw new CrmException(ErrorCode.VALIDATION, "At most " + limits.maxBatchSize()
                        + " inputs per call, got " + inputs.size(), Map.of("argument", "inputs"));
            }
            return entries.createAll(object, inputs.stream().map(names::toApiNames).toList(), selectedFields(object, env, "*"));
        };
    }

    public DataFetcher<Entry> update(ObjectDef object) {
        InputMapper names = new InputMapper(object);
        return env -> entries.update(object, id(object, env.getArgument("id")), names.toApiNames(env.getArgument("input")),
                env.<OffsetDateTime>getArgument("ifVersion"), selectedFields(object, env, "*"), selectsVersions(env));
    }

    public DataFetcher<Entry> increment(ObjectDef object) {
        InputMapper names = new InputMapper(object);
        return env -> entries.increment(object, id(object, env.getArgument("id")), names.toApiNames(env.getArgument("by")));
    }

    public DataFetcher<Entry> upsert(ObjectDef object) {
        InputMapper names = new InputMapper(object);
        return env -> entries.upsert(object, names.toApiNames(env.getArgument("input")),
                env.getArgument("onConflict"));
    }

    public DataFetcher<Entry> delete(ObjectDef object) {
        return env -> entries.delete(object, id(object, env.getArgument("id")));
    }

    /** A stored field's value; a number as the Decimal scalar answers it. */
    public static DataFetcher<Object> value(FieldDef field) {
        if (field.kind() == FieldKind.NUMBER) {
            return fromEntry(entry -> CrmScalars.decimal(field, entry.get(field.apiName())));
        }
        return fromEntry(entry -> entry.get(field.apiName()));
    }

    /** The entry's global id. */
    public static DataFetcher<String> id(ObjectDef object) {
        return fromEntry(entry -> GlobalIds.encode(object.apiName(), entry.id()));
    }

    /** The global id of the entry a relation points at, without reading that entry. */
    public static DataFetcher<String> relationId(FieldDef field) {
        return fromEntry(entry -> {
            Long id = (Long) entry.get(field.apiName());
            return id == null ? null : GlobalIds.encode(field.relatedObject(), id);
        });
    }

    /**
     * A field read from the entry in hand. Light, so graphql-java builds no environment for it, and
     * trivial, so no instrumentation wraps it (Spring's observation, the deadline check): answering
     * 10,000 created entries' ids had cost 10,000 observed fetches.
     */
    private static <T> DataFetcher<T> fromEntry(Function<Entry, T> read) {
        return new LightDataFetcher<>() {
            @Override
            public T get(GraphQLFieldDefinition definition, Object source, Supplier<DataFetchingEnvironment> environment) {
                return read.apply((Entry) source);
            }

            @Override
            public T get(DataFetchingEnvironment environment) {
                return read.apply(environment.getSource());
            }
        };
    }

    /**
     * {@code node(id:)}: any entry by its global id, or null if there is none (also for an object
     * that no longer exists); through the same DataLoader as relations, so {@code nodes} of one
     * object is one query.
     */
    public static EntryLoaders.Batched<CompletableFuture<Entry>> node(MetadataSnapshot model) {
        return env -> node(env, model, env.getArgument("id"));
    }

    public static EntryLoaders.Batched<CompletableFuture<List<Entry>>> nodes(MetadataSnapshot model) {
        return env -> {
            List<CompletableFuture<Entry>> found = env.<List<String>>getArgument("ids").stream()
                    .map(id -> node(env, model, id)).toList();
            return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new))
                    .thenApply(done -> found.stream().map(CompletableFuture::join).toList());
        };
    }

    private static CompletableFuture<Entry> node(DataFetchingEnvironment env, MetadataSnapshot model, String id) {
        GlobalIds.Ref ref = GlobalIds.decode(id).orElseThrow(() -> new CrmException(ErrorCode.VALIDATION,
                GlobalIds.isPlain(id)
                        ? "'" + id + "' is a plain number, which names no object here; use the id the API gave out"
                        : "'" + id + "' is not an id this API gave out", Map.of("argument", "id", "value", id)));
        return model.find(ref.object()).map(object -> EntryLoaders.entry(env, object, ref.id()))
                .orElse(CompletableFuture.completedFuture(null));
    }

    public static EntryLoaders.Batched<CompletableFuture<Entry>> relation(ObjectDef target, FieldDef field) {
        return env -> {
            Long id = (Long) env.<Entry>getSource().get(field.apiName());
            return id == null ? CompletableFuture.completedFuture(null) : EntryLoaders.entry(env, target, id);
        };
    }

    public EntryLoaders.Batched<CompletableFuture<Connection>> reverseList(MetadataSnapshot model, ReverseRelation relation) {
        return env -> {
            long parentId = env.<Entry>getSource().id();
            ListQuery query = listQuery(model, relation.source(), env);
            Cursors.OfList list = list("reverse:" + relation.source().apiName() + "." + relation.field().apiName(), env);
            CompletableFuture<EntryPage> page = EntryLoaders.page(env,
                    new EntryLoaders.PageKey(model, relation, query, pageRequest(env, list),
                            selectedFields(relation.source(), env), parentId));
            CompletableFuture<Long> total = SelectedNames.at(env, "*").contains(TOTAL_COUNT)
                    ? EntryLoaders.count(env, new EntryLoaders.CountKey(model, relation, query.filter(), parentId))
                    : CompletableFuture.completedFuture(null);
            return page.thenCombine(total, (entries, count) -> new Connection(entries, list, count));
        };
    }

    /**
     * Api names of the fields a connection's nodes select (directly, through edges, or through a
     * relation's object or id), so a page reads only those columns.
     */
    static Set<String> selectedFields(ObjectDef object, DataFetchingEnvironment env) {
        return selectedFields(object, env, "nodes/*", "edges/node/*");
    }

    /** Whether the current field's entry is asked for its {@code createdAt} or {@code updatedAt}. */
    private static boolean selectsVersions(DataFetchingEnvironment env) {
        return SelectedNames.at(env, "*").stream().anyMatch(VERSIONS::contains);
    }

    /** The same for the entries found at {@code paths} ({@link SelectedNames#at}) below the current field. */
    static Set<String> selectedFields(ObjectDef object, DataFetchingEnvironment env, String... paths) {
        Set<String> names = SelectedNames.at(env, paths);
        Set<String> fields = new HashSet<>();
        for (FieldDef field : object.fields()) {
            if (names.contains(TypeNames.field(field)) || field.isRelation() && names.contains(TypeNames.relationId(field))) {
                fields.add(field.apiName());
            }
        }
        return Set.copyOf(fields);
    }

    private static ListQuery listQuery(MetadataSnapshot model, ObjectDef object, DataFetchingEnvironment env) {
        WhereMapper mapper = new WhereMapper(model);
        return new ListQuery(mapper.filter(object, env.getArgument("where")), mapper.sort(object, env.getArgument("orderBy")));
    }

    /** The list a field's cursors are bound to: what it lists, under its where argument. */
    private Cursors.OfList list(String what, DataFetchingEnvironment env) {
        return cursors.of(what, env.getArgument("where"));
    }

    private PageRequest pageRequest(DataFetchingEnvironment env, Cursors.OfList list) {
        return pageRequest(env, list, limits);
    }

    /** Relay's page arguments, with the cursors opened (and refused if they belong to another list). */
    static PageRequest pageRequest(DataFetchingEnvironment env, Cursors.OfList list, PageLimits limits) {
        String after = env.getArgument("after");
        String before = env.getArgument("before");
        return PageRequest.of(env.getArgument("first"), after == null ? null : list.open(after, "after"),
                env.getArgument("last"), before == null ? null : list.open(before, "before"),
                limits.defaultSize(), limits.maxSize());
    }

    /** An entry id argument: the global id of an entry of {@code object}, or its plain number. */
    private static long id(ObjectDef object, Object raw) {
        return (Long) FieldValues.convert(object.apiName(), SystemFields.ID, raw);
    }
}
