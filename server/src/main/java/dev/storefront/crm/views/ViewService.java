package dev.storefront.crm.views;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldNames;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ViewDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import dev.storefront.crm.storage.Ordering;
import dev.storefront.crm.storage.PageRequest;
import dev.storefront.crm.storage.Transaction;
import dev.storefront.crm.storage.ViewStore;
import dev.storefront.crm.storage.sql.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saved views: stored, checked against the model when saved (unknown fields, wrong operators and
 * bad values are refused then, not when the view is opened), and run as lists or kanban boards.
 */
public class ViewService {

    /** One column of a kanban board: an option of the view's field, its count and first entries. */
    public record Column(String option, long count, List<Entry> entries) {
    }

    private final DuckDb db;
    private final ViewStore store;
    private final SchemaService schema;
    private final EntryService entries;

    public ViewService(DuckDb db, ViewStore store, SchemaService schema, EntryService entries) {
        this.db = db;
        this.store = store;
        this.schema = schema;
        this.entries = entries;
        db.write(tx -> {
            store.createTables(tx);
            return null;
        });
    }

    public List<ViewDef> list(String object) {
        return db.read(store::all).stream().filter(v -> object == null || v.object().equals(object)).toList();
    }

    public Optional<ViewDef> find(long id) {
        return db.read(tx -> store.find(tx, id));
    }

    public ViewDef get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    public ViewDef create(ViewDef view) {
        check(view);
        return db.write(tx -> {
            refuseTakenName(tx, view);
            return store.insert(tx, view);
        });
    }

    /** Existence and the name are checked in the transaction that writes, so a concurrent change cannot slip between. */
    public ViewDef update(ViewDef view) {
        check(view);
        return db.write(tx -> {
            if (store.find(tx, view.id()).isEmpty()) {
                throw notFound(view.id());
            }
            refuseTakenName(tx, view);
            store.update(tx, view);
            return view;
        });
    }

    /** Another view of the same object may not have the same name. */
    private void refuseTakenName(Transaction tx, ViewDef view) {
        if (store.all(tx).stream().anyMatch(v -> v.object().equals(view.object()) && v.name().equals(view.name())
                && v.id() != view.id())) {
            throw new ConflictException(view.object() + " already has a view named '" + view.name() + "'",
                    Map.of("object", view.object(), "view", view.name()));
        }
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("No view with id " + id, Map.of("view", String.valueOf(id)));
    }

    public ViewDef delete(long id) {
        ViewDef view = get(id);
        return db.write(tx -> {
            store.delete(tx, id);
            return view;
        });
    }

    /** The view's entries, filtered and sorted as saved, a page at a time. */
    public EntryPage entries(ViewDef view, PageRequest page) {
        MetadataSnapshot model = schema.current();
        return entries.page(model, model.object(view.object()), query(model, view), page);
    }

    public long count(ViewDef view) {
        MetadataSnapshot model = schema.current();
        return entries.count(model, model.object(view.object()), query(model, view).filter());
    }

    /** One column per option of the kanban field, empty ones too, each with its count and first entries. */
    public List<Column> kanban(ViewDef view, int first) {
        requireKanban(view);
        MetadataSnapshot model = schema.current();
        ObjectDef object = model.object(view.object());
        FieldDef field = kanbanField(object, view);
        ListQuery query = query(model, view);
        Condition filter = entries.compiler(model).compile(object, query.filter());
        Ordering ordering = Ordering.of(object, query.sort());
        return db.read(tx -> {
            Map<String, Long> counts = store.columnCounts(tx, object, filter, field);
            List<Column> columns = new ArrayList<>();
            for (String option : field.options()) {
                Condition inColumn = Condition.and(filter, Condition.eq(field.column(), option));
                columns.add(new Column(option, counts.getOrDefault(option, 0L),
                        store.column(tx, object, inColumn, ordering, view.id(), first)));
            }
            return columns;
        });
    }

    /**
     * Moves an entry to the column {@code to} (an option label or GraphQL name) at {@code position}
     * (0 is the top): sets its field and re-ranks the column, in one transaction.
     */
    public Entry move(long viewId, long entryId, String to, int position) {
        ViewDef view = get(viewId);
        requireKanban(view);
        MetadataSnapshot model = schema.current();
        ObjectDef object = model.object(view.object());
        FieldDef field = kanbanField(object, view);
        String option = (String) FieldValues.convert(object.apiName(), field, to);
        ListQuery query = query(model, view);
        Condition inColumn = Condition.and(entries.compiler(model).compile(object, query.filter()),
                Condition.eq(field.column(), option));
        Ordering ordering = Ordering.of(object, query.sort());
        return db.write(tx -> {
            Entry moved = entries.update(object, entryId, Map.of(field.apiName(), option));
            int reach = (int) Math.min(Integer.MAX_VALUE - 1L, store.rankedCount(tx, viewId) + Math.max(position, 0) + 1);
            List<Long> order = new ArrayList<>(store.column(tx, object, inColumn, ordering, viewId, reach).stream()
                    .map(Entry::id).filter(id -> id != entryId).toList());
            order.add(Math.min(Math.max(position, 0), order.size()), entryId);
            store.rank(tx, viewId, order);
            return moved;
        });
    }

    /** The view's filter and sort, read against {@code model}. */
    public ListQuery query(MetadataSnapshot model, ViewDef view) {
        ObjectDef object = model.object(view.object());
        WhereMapper mapper = new WhereMapper(model);
        return new ListQuery(mapper.filter(object, view.filter()), mapper.sort(object, view.sort()));
    }

    private void check(ViewDef view) {
        if (view.name() == null || view.name().isBlank()) {
            throw new CrmException(ErrorCode.VALIDATION, "A view needs a name", Map.of("object", String.valueOf(view.object())));
        }
        MetadataSnapshot model = schema.current();
        ObjectDef object = model.object(view.object());
        entries.check(model, object, query(model, view));
        for (String field : view.fields()) {
            if (FieldNames.find(object, field).isEmpty()) {
                throw new CrmException(ErrorCode.VALIDATION, "View '" + view.name() + "': " + object.apiName()
                        + " has no field '" + field + "' to show", Map.of("object", object.apiName(), "field", field));
            }
        }
        if (view.type() == ViewDef.Type.KANBAN) {
            kanbanField(object, view);
        }
    }

    private static void requireKanban(ViewDef view) {
        if (view.type() != ViewDef.Type.KANBAN) {
            throw new CrmException(ErrorCode.VALIDATION, "View '" + view.name() + "' is not a kanban view",
                    Map.of("view", String.valueOf(view.id())));
        }
    }

    private static FieldDef kanbanField(ObjectDef object, ViewDef view) {
        return object.fields().stream()
                .filter(f -> f.kind() == FieldKind.ENUM && FieldNames.of(f).equals(view.kanbanField()))
                .findFirst().orElseThrow(() -> new CrmException(ErrorCode.VALIDATION, "View '" + view.name()
                        + "': kanbanField must name an enum field of " + object.apiName() + ", not '" + view.kanbanField() + "'",
                        Map.of("object", object.apiName(), "field", String.valueOf(view.kanbanField()))));
    }
}
