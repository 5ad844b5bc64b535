package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.SystemFields;
import dev.storefront.crm.metadata.ViewDef;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.PageRequest;
import dev.storefront.crm.views.ViewService;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.util.List;
import java.util.Map;

/** Fetchers of saved views and kanban boards. */
public final class ViewFetchers {

    public record Kanban(ViewDef view, List<KanbanColumn> columns) {
    }

    public record KanbanColumn(String value, String key, long count, List<Entry> entries) {
    }

    private final ViewService views;
    private final PageLimits limits;
    private final Cursors cursors;

    public ViewFetchers(ViewService views, PageLimits limits, Cursors cursors) {
        this.views = views;
        this.limits = limits;
        this.cursors = cursors;
    }

    public DataFetcher<List<ViewDef>> views() {
        return env -> views.list(env.getArgument("object"));
    }

    public DataFetcher<ViewDef> view() {
        return env -> views.find(id(env, "id")).orElse(null);
    }

    public DataFetcher<Connection> viewEntries() {
        return env -> {
            ViewDef view = views.get(id(env, "view"));
            Cursors.OfList list = cursors.of("view:" + view.id() + ":" + view.object(), view.filter());
            PageRequest page = EntryFetchers.pageRequest(env, list, limits);
            return new Connection(views.entries(view, page), list,
                    SelectedNames.at(env, "*").contains("totalCount") ? views.count(view) : null);
        };
    }

    public DataFetcher<Kanban> kanban() {
        return env -> {
            ViewDef view = views.get(id(env, "view"));
            Integer first = env.getArgument("first");
            int size = first == null ? limits.defaultSize() : Math.min(Math.max(first, 0), limits.maxSize());
            List<KanbanColumn> columns = views.kanban(view, size).stream()
                    .map(c -> new KanbanColumn(c.option(), ApiNames.enumValue(c.option()), c.count(), c.entries())).toList();
            return new Kanban(view, columns);
        };
    }

    public DataFetcher<ViewDef> createView() {
        return env -> views.create(view(0, env.getArgument("input"), null));
    }

    public DataFetcher<ViewDef> updateView() {
        return env -> {
            long id = id(env, "id");
            return views.update(view(id, env.getArgument("input"), views.get(id)));
        };
    }

    public DataFetcher<ViewDef> deleteView() {
        return env -> views.delete(id(env, "id"));
    }

    public DataFetcher<Entry> moveEntry() {
        return env -> {
            ViewDef view = views.get(id(env, "view"));
            return views.move(view.id(), entryId(view, env.getArgument("id")), env.getArgument("to"), env.getArgument("position"));
        };
    }

    /** A view from input; on update, what the input leaves out is kept from {@code old}. */
    @SuppressWarnings("unchecked")
    private static ViewDef view(long id, Map<String, Object> input, ViewDef old) {
        return new ViewDef(id,
                (String) pick(input, "name", old == null ? null : old.name()),
                old == null ? (String) input.get("object") : old.object(),
                (Map<String, Object>) pick(input, "filter", old == null ? null : old.filter()),
                (List<Map<String, Object>>) pick(input, "sort", old == null ? null : old.sort()),
                (List<String>) pick(input, "fields", old == null ? null : old.fields()),
                (ViewDef.Type) pick(input, "type", old == null ? null : old.type()),
                (String) pick(input, "kanbanField", old == null ? null : old.kanbanField()));
    }

    private static Object pick(Map<String, Object> input, String key, Object fallback) {
        Object value = input.containsKey(key) ? input.get(key) : fallback;
        if (value != null && (key.equals("filter") && !(value instanceof Map) || key.equals("sort") && !(value instanceof List))) {
            throw new CrmException(ErrorCode.VALIDATION, "View " + key + " must be a JSON " + (key.equals("filter") ? "object" : "list"),
                    Map.of("field", key));
        }
        return value;
    }

    /** An entry of the view's object, by global id or plain number. */
    private static long entryId(ViewDef view, Object raw) {
        return (Long) FieldValues.convert(view.object(), SystemFields.ID, raw);
    }

    private static long id(DataFetchingEnvironment env, String argument) {
        try {
            return Long.parseLong(env.getArgument(argument));
        } catch (NumberFormatException e) {
            throw new CrmException(ErrorCode.VALIDATION, "'" + env.getArgument(argument) + "' is not an id",
                    Map.of("argument", argument));
        }
    }
}
