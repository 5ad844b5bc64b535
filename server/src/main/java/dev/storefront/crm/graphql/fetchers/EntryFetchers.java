package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.loaders.EntryLoaders;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import dev.storefront.crm.storage.PageRequest;
import graphql.schema.DataFetcher;
import dev.storefront.crm.graphql.types.TypeNames;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.SelectedField;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The data fetchers of generated types, one factory method per operation. Each closes over the
 * metadata snapshot its schema was built from.
 */
public final class EntryFetchers {

    private static final String TOTAL_COUNT = "totalCount";

    private final EntryService entries;
    private final PageLimits limits;

    public EntryFetchers(EntryService entries, PageLimits limits) {
        this.entries = entries;
        this.limits = limits;
    }

    public DataFetcher<Entry> findOne(ObjectDef object) {
        return env -> {
            List<Entry> found = entries.getAll(object, List.of(id(env.getArgument("id"))), selectedFields(object, env, "*"));
            return found.isEmpty() ? null : found.get(0);
        };
    }

    public DataFetcher<Connection> findMany(MetadataSnapshot model, ObjectDef object) {
        return env -> {
            ListQuery query = listQuery(model, object, env);
            EntryPage page = entries.page(model, object, query, pageRequest(env), selectedFields(object, env));
            Long total = env.getSelectionSet().contains(TOTAL_COUNT) ? entries.count(model, object, query.filter()) : null;
            return Connection.of(page, total);
        };
    }

    public DataFetcher<Entry> create(ObjectDef object) {
        // An object with no fields takes no input: its entries are created empty.
        return env -> entries.create(object, InputMapper.toApiNames(object, env.getArgumentOrDefault("input", Map.of())));
    }

    public DataFetcher<List<Entry>> createMany(ObjectDef object) {
        return env -> {
            List<Map<String, Object>> inputs = env.getArgument("inputs");
            if (inputs.size() > limits.maxBatchSize()) {
                throw new CrmException(ErrorCode.VALIDATION, "At most " + limits.maxBatchSize()
                        + " inputs per call, got " + inputs.size(), Map.of("argument", "inputs"));
            }
            return entries.createAll(object, inputs.stream().map(i -> InputMapper.toApiNames(object, i)).toList());
        };
    }

    public DataFetcher<Entry> update(ObjectDef object) {
        return env -> entries.update(object, id(env.getArgument("id")),
                InputMapper.toApiNames(object, env.getArgument("input")), env.<OffsetDateTime>getArgument("ifVersion"));
    }

    public DataFetcher<Entry> increment(ObjectDef object) {
        return env -> entries.increment(object, id(env.getArgument("id")), InputMapper.toApiNames(object, env.getArgument("by")));
    }

    public DataFetcher<Entry> upsert(ObjectDef object) {
        return env -> entries.upsert(object, InputMapper.toApiNames(object, env.getArgument("input")),
                env.getArgument("onConflict"));
    }

    public DataFetcher<Entry> delete(ObjectDef object) {
        return env -> entries.delete(object, id(env.getArgument("id")));
    }

    public static DataFetcher<Object> value(FieldDef field) {
        return env -> env.<Entry>getSource().get(field.apiName());
    }

    public static DataFetcher<String> relationId(FieldDef field) {
        return env -> {
            Object id = env.<Entry>getSource().get(field.apiName());
            return id == null ? null : id.toString();
        };
    }

    public static DataFetcher<CompletableFuture<Entry>> relation(ObjectDef target, FieldDef field) {
        return env -> {
            Long id = (Long) env.<Entry>getSource().get(field.apiName());
            return id == null ? CompletableFuture.completedFuture(null) : EntryLoaders.entry(env, target, id);
        };
    }

    public DataFetcher<CompletableFuture<Connection>> reverseList(MetadataSnapshot model, ReverseRelation relation) {
        return env -> {
            long parentId = env.<Entry>getSource().id();
            ListQuery query = listQuery(model, relation.source(), env);
            CompletableFuture<EntryPage> page = EntryLoaders.page(env,
                    new EntryLoaders.PageKey(model, relation, query, pageRequest(env),
                            selectedFields(relation.source(), env), parentId));
            CompletableFuture<Long> total = env.getSelectionSet().contains(TOTAL_COUNT)
                    ? EntryLoaders.count(env, new EntryLoaders.CountKey(model, relation, query.filter(), parentId))
                    : CompletableFuture.completedFuture(null);
            return page.thenCombine(total, Connection::of);
        };
    }

    /**
     * Api names of the fields a connection's nodes select (directly, through edges, or through a
     * relation's object or id), so a page reads only those columns.
     */
    static Set<String> selectedFields(ObjectDef object, DataFetchingEnvironment env) {
        return selectedFields(object, env, "nodes/*", "edges/node/*");
    }

    /** The same for the entries found at {@code paths} (selection globs) below the current field. */
    static Set<String> selectedFields(ObjectDef object, DataFetchingEnvironment env, String... paths) {
        Set<String> names = new HashSet<>();
        for (SelectedField selected : env.getSelectionSet().getFields(paths[0], java.util.Arrays.copyOfRange(paths, 1, paths.length))) {
            names.add(selected.getName());
        }
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

    private PageRequest pageRequest(DataFetchingEnvironment env) {
        return PageRequest.of(env.getArgument("first"), env.getArgument("after"), env.getArgument("last"),
                env.getArgument("before"), limits.defaultSize(), limits.maxSize());
    }

    private static long id(Object raw) {
        try {
            return Long.parseLong(String.valueOf(raw));
        } catch (NumberFormatException e) {
            throw new CrmException(ErrorCode.VALIDATION, "'" + raw + "' is not an entry id", Map.of("argument", "id"));
        }
    }
}
