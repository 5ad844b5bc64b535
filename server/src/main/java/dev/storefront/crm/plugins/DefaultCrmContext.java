package dev.storefront.crm.plugins;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Sort;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.PageRequest;
import dev.storefront.crm.storage.ReadOnlySql;
import dev.storefront.crm.storage.sql.Condition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link CrmContext} over the entry service, so plugin writes pass every check a GraphQL mutation
 * passes.
 *
 * <p>Queries: until the filter compiler of issue 3 is merged, {@link #query} supports {@code And}
 * of {@code Compare} with EQ, NEQ, IN, IS_NULL, GT, GTE, LT, LTE on the object's own fields, in id
 * order (sort keys other than {@code id} are refused). TODO(issue 3): delegate to FilterCompiler.
 */
final class DefaultCrmContext implements CrmContext {

    private final DuckDb db;
    private final EntryService entries;
    private final EntryStore store;
    private final SchemaService schema;
    private final ReadOnlySql sql = new ReadOnlySql();

    DefaultCrmContext(DuckDb db, EntryService entries, EntryStore store, SchemaService schema) {
        this.db = db;
        this.entries = entries;
        this.store = store;
        this.schema = schema;
    }

    @Override
    public Optional<Map<String, Object>> find(String object, long id) {
        try {
            return Optional.of(toMap(entries.get(model().object(object), id)));
        } catch (NotFoundException e) {
            if (e.details().containsKey("id")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<Map<String, Object>> query(String object, Filter filter, List<Sort> sort, int limit) {
        ObjectDef def = model().object(object);
        Condition condition = condition(def, filter);
        boolean descending = false;
        for (Sort key : sort == null ? List.<Sort>of() : sort) {
            if (!key.field().equals("id")) {
                throw new CrmException(ErrorCode.VALIDATION, "Sorting plugin queries by " + key.field()
                        + " is not supported yet; only by id");
            }
            descending = key.direction() == Sort.Direction.DESC;
        }
        PageRequest page = new PageRequest(limit, descending, null, null);
        return db.read(tx -> store.findPage(tx, def, condition, page)).entries().stream().map(DefaultCrmContext::toMap).toList();
    }

    @Override
    public Map<String, Object> create(String object, Map<String, Object> values) {
        return toMap(entries.create(model(), model().object(object), values));
    }

    @Override
    public Map<String, Object> update(String object, long id, Map<String, Object> values) {
        return toMap(entries.update(model(), model().object(object), id, values));
    }

    @Override
    public Map<String, Object> upsert(String object, String uniqueField, Map<String, Object> values) {
        return toMap(entries.upsert(model(), model().object(object), values, uniqueField));
    }

    @Override
    public <T> T inTransaction(Function<CrmContext, T> work) {
        return db.write(tx -> work.apply(this));
    }

    @Override
    public List<Map<String, Object>> sql(String select, Object... parameters) {
        return db.read(tx -> sql.select(tx, select, parameters));
    }

    private MetadataSnapshot model() {
        return schema.current();
    }

    static Map<String, Object> toMap(Entry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", entry.id());
        map.put("created_at", entry.createdAt());
        map.put("updated_at", entry.updatedAt());
        map.putAll(entry.values());
        return map;
    }

    private static Condition condition(ObjectDef object, Filter filter) {
        if (filter == null) {
            return Condition.always();
        }
        if (filter instanceof Filter.And and) {
            List<Condition> parts = new ArrayList<>();
            and.filters().forEach(f -> parts.add(condition(object, f)));
            return Condition.and(parts.toArray(Condition[]::new));
        }
        if (filter instanceof Filter.Compare compare) {
            return compare(object, compare);
        }
        throw new CrmException(ErrorCode.VALIDATION, "Plugin queries support And and Compare filters until the filter compiler lands; got "
                + filter.getClass().getSimpleName());
    }

    private static Condition compare(ObjectDef object, Filter.Compare compare) {
        String column;
        FieldDef field = null;
        if (compare.field().equals("id")) {
            column = "id";
        } else {
            field = object.field(compare.field()).orElseThrow(() -> NotFoundException.field(object.apiName(), compare.field()));
            column = field.column();
        }
        Operator operator = compare.operator();
        if (operator == Operator.IS_NULL) {
            return Boolean.TRUE.equals(compare.value()) ? Condition.isNull(column) : Condition.isNotNull(column);
        }
        if (operator == Operator.IN) {
            List<Object> values = new ArrayList<>();
            for (Object value : (Collection<?>) compare.value()) {
                values.add(convert(object, field, value));
            }
            return Condition.in(column, values);
        }
        Object value = convert(object, field, compare.value());
        return switch (operator) {
            case EQ -> Condition.eq(column, value);
            case NEQ -> Condition.compare(column, Condition.Operator.NEQ, value);
            case GT -> Condition.compare(column, Condition.Operator.GT, value);
            case GTE -> Condition.compare(column, Condition.Operator.GTE, value);
            case LT -> Condition.compare(column, Condition.Operator.LT, value);
            case LTE -> Condition.compare(column, Condition.Operator.LTE, value);
            default -> throw new CrmException(ErrorCode.VALIDATION, "Operator " + operator
                    + " is not supported in plugin queries until the filter compiler lands");
        };
    }

    private static Object convert(ObjectDef object, FieldDef field, Object value) {
        if (field == null) {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
        }
        return FieldValues.convert(object.apiName(), field, value);
    }
}
