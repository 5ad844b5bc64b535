package dev.storefront.crm.entries;

import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Sort;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldNames;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.metadata.SystemFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads GraphQL {@code where} and {@code orderBy} arguments, written with GraphQL names, into the
 * shared {@link Filter} and {@link Sort} model. Saved views keep the same JSON, so they are read
 * here too; values pass through as given and are checked when the filter is compiled.
 */
public final class WhereMapper {

    private final MetadataSnapshot model;

    public WhereMapper(MetadataSnapshot model) {
        this.model = model;
    }

    public Filter filter(ObjectDef object, Map<String, Object> where) {
        if (where == null) {
            return Filter.all();
        }
        List<Filter> parts = new ArrayList<>();
        where.forEach((name, value) -> {
            if (value != null) {
                parts.add(entry(object, name, value));
            }
        });
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    public List<Sort> sort(ObjectDef object, List<Map<String, Object>> orderBy) {
        if (orderBy == null) {
            return List.of();
        }
        return orderBy.stream().map(key -> {
            String field = String.valueOf(key.get("field")).toLowerCase(Locale.ROOT);
            Object direction = key.get("direction");
            Object nulls = key.get("nulls");
            return new Sort(field,
                    direction == null ? Sort.Direction.ASC : Sort.Direction.valueOf(direction.toString().toUpperCase(Locale.ROOT)),
                    nulls == null ? Sort.Nulls.DEFAULT : Sort.Nulls.valueOf(nulls.toString().toUpperCase(Locale.ROOT)));
        }).toList();
    }

    @SuppressWarnings("unchecked")
    private Filter entry(ObjectDef object, String name, Object value) {
        switch (name) {
            case "and":
                return new Filter.And(((List<Map<String, Object>>) value).stream().map(w -> filter(object, w)).toList());
            case "or":
                return new Filter.Or(((List<Map<String, Object>>) value).stream().map(w -> filter(object, w)).toList());
            case "not":
                return new Filter.Not(filter(object, (Map<String, Object>) value));
            default:
                return field(object, name, asMap(object, name, value));
        }
    }

    private Filter field(ObjectDef object, String name, Map<String, Object> operators) {
        for (FieldDef field : object.fields()) {
            if (field.isRelation() && name.equals(FieldNames.of(field))) {
                return new Filter.Related(field.apiName(), filter(model.object(field.relatedObject()), operators));
            }
            if (name.equals(field.isRelation() ? FieldNames.relationId(field) : FieldNames.of(field))) {
                return compare(field.apiName(), operators);
            }
        }
        for (FieldDef system : SystemFields.ALL) {
            if (name.equals(ApiNames.camel(system.apiName()))) {
                return compare(system.apiName(), operators);
            }
        }
        for (ReverseRelation reverse : model.reverseRelationsOf(object.apiName())) {
            if (name.equals(FieldNames.reverseList(reverse))) {
                return related(reverse, operators);
            }
        }
        throw new CrmException(ErrorCode.VALIDATION, object.apiName() + " has no field '" + name + "' to filter on",
                Map.of("object", object.apiName(), "field", name));
    }

    private static Filter compare(String field, Map<String, Object> operators) {
        List<Filter> parts = new ArrayList<>();
        operators.forEach((operator, value) -> {
            Operator parsed = operator(field, operator);
            if (value != null || parsed == Operator.EQ || parsed == Operator.NEQ) {
                parts.add(new Filter.Compare(field, parsed, value));
            }
        });
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    @SuppressWarnings("unchecked")
    private Filter related(ReverseRelation reverse, Map<String, Object> operators) {
        ObjectDef source = reverse.source();
        Filter where = operators.get("where") == null ? null : filter(source, (Map<String, Object>) operators.get("where"));
        List<Filter> parts = new ArrayList<>();
        if (operators.get("some") != null) {
            parts.add(new Filter.Some(reverse.apiName(), filter(source, (Map<String, Object>) operators.get("some"))));
        }
        if (operators.get("none") != null) {
            parts.add(new Filter.None(reverse.apiName(), filter(source, (Map<String, Object>) operators.get("none"))));
        }
        if (operators.get("count") != null) {
            ((Map<String, Object>) operators.get("count")).forEach((operator, n) ->
                    parts.add(new Filter.Count(reverse.apiName(), where, operator(reverse.apiName(), operator), n)));
        } else if (where != null) {
            parts.add(new Filter.Some(reverse.apiName(), where));
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    /** {@code notIn} → {@link Operator#NOT_IN}. */
    private static Operator operator(String field, String name) {
        try {
            return Operator.valueOf(name.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CrmException(ErrorCode.VALIDATION, "'" + name + "' is not a filter operator (on " + field + ")",
                    Map.of("field", field, "operator", name));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(ObjectDef object, String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + name + ": a filter must be an object of operators,"
                + " e.g. { eq: ... }", Map.of("object", object.apiName(), "field", name));
    }
}
