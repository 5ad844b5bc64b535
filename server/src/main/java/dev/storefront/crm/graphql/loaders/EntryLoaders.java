package dev.storefront.crm.graphql.loaders;

import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import dev.storefront.crm.storage.PageRequest;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;

/**
 * Every relation is read through one of three DataLoaders, keyed by the object (taken from the
 * request's own metadata snapshot), so objects and fields added at runtime need no new loader.
 * Within a request, all keys of one level are grouped per object (or per relation and page window)
 * into one SQL statement each. A request gets the loaders ({@link #registry()}) only when its
 * operation reaches a {@link Batched} field.
 */
public final class EntryLoaders {

    static final String BY_ID = "entries.byId";
    static final String PAGE_BY_PARENT = "entries.pageByParent";
    static final String COUNT_BY_PARENT = "entries.countByParent";

    public record ByIdKey(ObjectDef object, long id) {
    }

    /** Keys also carry the request's snapshot and list arguments; keys that share them batch together. */
    public record PageKey(MetadataSnapshot model, ReverseRelation relation, ListQuery query, PageRequest page,
                          Set<String> fields, long parentId) {
    }

    public record CountKey(MetadataSnapshot model, ReverseRelation relation, Filter filter, long parentId) {
    }

    /** A fetcher that reads through these loaders; the schema's other fetchers need none. */
    public interface Batched<T> extends DataFetcher<T> {
    }

    private final EntryService entries;

    public EntryLoaders(EntryService entries) {
        this.entries = entries;
    }

    /**
     * The three loaders for one request. They run on the request thread when graphql-java dispatches
     * a level (an exception thrown here fails the keys' futures, as a failed statement should).
     */
    public DataLoaderRegistry registry() {
        return DataLoaderRegistry.newRegistry()
                .register(BY_ID, DataLoaderFactory.<ByIdKey, Entry>newMappedDataLoader(keys -> CompletableFuture.completedFuture(byId(keys))))
                .register(PAGE_BY_PARENT, DataLoaderFactory.<PageKey, EntryPage>newMappedDataLoader(
                        keys -> CompletableFuture.completedFuture(pages(keys))))
                .register(COUNT_BY_PARENT, DataLoaderFactory.<CountKey, Long>newMappedDataLoader(
                        keys -> CompletableFuture.completedFuture(counts(keys))))
                .build();
    }

    public static CompletableFuture<Entry> entry(DataFetchingEnvironment env, ObjectDef object, long id) {
        DataLoader<ByIdKey, Entry> loader = env.getDataLoader(BY_ID);
        return loader.load(new ByIdKey(object, id));
    }

    public static CompletableFuture<EntryPage> page(DataFetchingEnvironment env, PageKey key) {
        DataLoader<PageKey, EntryPage> loader = env.getDataLoader(PAGE_BY_PARENT);
        return loader.load(key);
    }

    public static CompletableFuture<Long> count(DataFetchingEnvironment env, CountKey key) {
        DataLoader<CountKey, Long> loader = env.getDataLoader(COUNT_BY_PARENT);
        return loader.load(key);
    }

    private Map<ByIdKey, Entry> byId(Set<ByIdKey> keys) {
        Map<ByIdKey, Entry> result = new HashMap<>();
        keys.stream().collect(Collectors.groupingBy(ByIdKey::object)).forEach((object, group) -> {
            List<Long> ids = group.stream().map(ByIdKey::id).toList();
            entries.getAll(object, ids).forEach(entry -> result.put(new ByIdKey(object, entry.id()), entry));
        });
        return result;
    }

    private Map<PageKey, EntryPage> pages(Set<PageKey> keys) {
        Map<PageKey, EntryPage> result = new HashMap<>();
        keys.stream().collect(Collectors.groupingBy(k -> new PageKey(k.model(), k.relation(), k.query(), k.page(), k.fields(), 0)))
                .forEach((group, members) -> {
                    List<Long> parents = members.stream().map(PageKey::parentId).toList();
                    ReverseRelation relation = group.relation();
                    entries.pagesByParent(group.model(), relation.source(), group.fields(), relation.field(), parents,
                                    group.query(), group.page())
                            .forEach((parent, page) -> result.put(new PageKey(group.model(), relation, group.query(), group.page(),
                                    group.fields(), parent), page));
                });
        return result;
    }

    private Map<CountKey, Long> counts(Set<CountKey> keys) {
        Map<CountKey, Long> result = new HashMap<>();
        keys.stream().collect(Collectors.groupingBy(k -> new CountKey(k.model(), k.relation(), k.filter(), 0)))
                .forEach((group, members) -> {
                    List<Long> parents = members.stream().map(CountKey::parentId).toList();
                    ReverseRelation relation = group.relation();
                    entries.countsByParent(group.model(), relation.source(), relation.field(), parents, group.filter())
                            .forEach((parent, count) -> result.put(new CountKey(group.model(), relation, group.filter(), parent), count));
                });
        return result;
    }
}
