package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Condition.Match;
import dev.storefront.crm.storage.sql.Condition.SubSelect;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link Filter} on one object into a {@link Condition}: one statement, every value
 * bound. Values are converted by the field's own rules first, so a filter on an enum takes its
 * label or its GraphQL name, and a date filter takes ISO text. Relative date operators are
 * evaluated against {@code today}, so a saved view stays right tomorrow.
 */
public final class FilterCompiler {

    private final MetadataSnapshot model;
    private final LocalDate today;

    public FilterCompiler(MetadataSnapshot model, LocalDate today) {
        this.model = model;
        this.today = today;
    }

    /** {@code SELECT id FROM <object> WHERE <filter>}: the matching entries' ids, for a plugin to embed in its own query. */
    public Sql idsMatching(ObjectDef object, Filter filter) {
        return new SqlBuilder().sql("SELECT ").ident("id").sql(" FROM ").ident(object.apiName()).where(compile(object, filter)).build();
    }

    /** The filter as a condition over the object's unqualified columns, for a plugin to place in its own WHERE. */
    public Sql conditionOf(ObjectDef object, Filter filter) {
        return new SqlBuilder().condition(compile(object, filter)).build();
    }

    public Condition compile(ObjectDef object, Filter filter) {
        if (filter == null) {
            return Condition.always();
        }
        if (filter instanceof Filter.And and) {
            return Condition.and(and.filters().stream().map(f -> compile(object, f)).toList());
        }
        if (filter instanceof Filter.Or or) {
            return Condition.or(or.filters().stream().map(f -> compile(object, f)).toList());
        }
        if (filter instanceof Filter.Not not) {
            return Condition.not(compile(object, not.filter()));
        }
        if (filter instanceof Filter.Compare compare) {
            return compare(object, field(object, compare.field()), compare.operator(), compare.value());
        }
        if (filter instanceof Filter.Related related) {
            FieldDef field = field(object, related.field());
            if (!field.isRelation()) {
                throw refuse(object, field, "is not a relation, so it cannot be filtered through");
            }
            ObjectDef target = model.object(field.relatedObject());
            return Condition.inSelect(field.column(), false, SubSelect.of("id", target.apiName(), compile(target, related.filter())));
        }
        return reverse(object, filter);
    }

    private Condition reverse(ObjectDef object, Filter filter) {
        if (filter instanceof Filter.Some some) {
            return Condition.inSelect("id", false, linked(object, some.list(), some.where(), null, null));
        }
        if (filter instanceof Filter.None none) {
            return Condition.inSelect("id", true, linked(object, none.list(), none.where(), null, null));
        }
        Filter.Count count = (Filter.Count) filter;
        Condition.Operator operator = countOperator(object, count);
        long n = ((Number) count.value()).longValue();
        // Entries with no linked entry at all never appear in the grouped subquery, so when a
        // count of zero satisfies the comparison, match by excluding those that fail it instead.
        if (holds(0, operator, n)) {
            return Condition.inSelect("id", true, linked(object, count.list(), count.where(), negate(operator), n));
        }
        return Condition.inSelect("id", false, linked(object, count.list(), count.where(), operator, n));
    }

    private SubSelect linked(ObjectDef object, String list, Filter where, Condition.Operator operator, Long n) {
        ReverseRelation relation = model.reverseRelationsOf(object.apiName()).stream()
                .filter(r -> r.apiName().equals(list)).findFirst()
                .orElseThrow(() -> new CrmException(ErrorCode.VALIDATION, object.apiName() + " has no related list '" + list + "'",
                        Map.of("object", object.apiName(), "field", list)));
        String parent = relation.field().column();
        Condition inner = Condition.and(Condition.isNotNull(parent), compile(relation.source(), where));
        return new SubSelect(parent, relation.source().apiName(), inner, operator, n);
    }

    private Condition compare(ObjectDef object, FieldDef field, Operator operator, Object raw) {
        String column = field.column();
        FieldKind kind = field.kind();
        switch (operator) {
            case EQ:
                return raw == null ? Condition.isNull(column) : Condition.eq(column, value(object, field, raw));
            case NEQ:
                return raw == null ? Condition.isNotNull(column)
                        : Condition.compare(column, Condition.Operator.DISTINCT, value(object, field, raw));
            case IN:
                return Condition.in(column, values(object, field, raw));
            case NOT_IN:
                return Condition.not(Condition.in(column, values(object, field, raw)));
            case IS_NULL:
                return Boolean.TRUE.equals(raw) ? Condition.isNull(column) : Condition.isNotNull(column);
            case CONTAINS:
            case STARTS_WITH:
            case ENDS_WITH:
                require(object, field, operator, kind.isTextual());
                return Condition.like(column, Match.valueOf(operator.name()), String.valueOf(raw));
            case GT:
            case GTE:
            case LT:
            case LTE:
                require(object, field, operator, isOrdered(kind));
                return Condition.compare(column, Condition.Operator.valueOf(operator.name()), value(object, field, raw));
            case BETWEEN:
                require(object, field, operator, isOrdered(kind));
                List<Object> ends = values(object, field, raw);
                if (ends.size() != 2) {
                    throw refuse(object, field, "between takes exactly two values, low and high");
                }
                return Condition.between(column, ends.get(0), ends.get(1));
            case WITHIN_LAST_DAYS:
                require(object, field, operator, isDated(kind));
                return Condition.compare(column, Condition.Operator.GTE, daysAgo(kind, raw));
            case MORE_THAN_DAYS_AGO:
                require(object, field, operator, isDated(kind));
                return Condition.compare(column, Condition.Operator.LT, daysAgo(kind, raw));
            default:
                require(object, field, operator, kind.isList());
                List<String> items = values(object, field, raw).stream().map(String::valueOf).toList();
                return Condition.listHas(column, operator == Operator.CONTAINS_ALL, items);
        }
    }

    private Object daysAgo(FieldKind kind, Object days) {
        LocalDate day = today.minusDays(((Number) days).longValue());
        return kind == FieldKind.DATE ? day : day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static Object value(ObjectDef object, FieldDef field, Object raw) {
        return FieldValues.convert(object.apiName(), field, raw);
    }

    /** Each item of a list value, converted; for list kinds an item is one option or tag. */
    private static List<Object> values(ObjectDef object, FieldDef field, Object raw) {
        if (!(raw instanceof Collection<?> items)) {
            throw refuse(object, field, "expects a list of values");
        }
        if (field.kind().isList()) {
            return List.copyOf((List<?>) FieldValues.convert(object.apiName(), field, items));
        }
        return items.stream().map(item -> FieldValues.convert(object.apiName(), field, item)).toList();
    }

    private static FieldDef field(ObjectDef object, String name) {
        return object.fieldOrSystem(name).orElseThrow(() -> new CrmException(ErrorCode.VALIDATION,
                object.apiName() + " has no field '" + name + "'", Map.of("object", object.apiName(), "field", name)));
    }

    private static boolean isOrdered(FieldKind kind) {
        return kind.isNumeric() || isDated(kind);
    }

    private static boolean isDated(FieldKind kind) {
        return kind == FieldKind.DATE || kind == FieldKind.DATETIME;
    }

    private static void require(ObjectDef object, FieldDef field, Operator operator, boolean applies) {
        if (!applies) {
            throw refuse(object, field, "operator " + operator.name().toLowerCase() + " does not apply to a "
                    + field.kind().name().toLowerCase() + " field");
        }
    }

    private static Condition.Operator countOperator(ObjectDef object, Filter.Count count) {
        if (!(count.value() instanceof Number)) {
            throw new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + count.list() + ": count needs a number",
                    Map.of("object", object.apiName(), "field", count.list()));
        }
        return switch (count.operator()) {
            case EQ -> Condition.Operator.EQ;
            case NEQ -> Condition.Operator.NEQ;
            case GT -> Condition.Operator.GT;
            case GTE -> Condition.Operator.GTE;
            case LT -> Condition.Operator.LT;
            case LTE -> Condition.Operator.LTE;
            default -> throw new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + count.list()
                    + ": count takes eq, neq, gt, gte, lt or lte", Map.of("object", object.apiName(), "field", count.list()));
        };
    }

    private static boolean holds(long count, Condition.Operator operator, long n) {
        return switch (operator) {
            case EQ -> count == n;
            case NEQ -> count != n;
            case GT -> count > n;
            case GTE -> count >= n;
            case LT -> count < n;
            case LTE -> count <= n;
            default -> false;
        };
    }

    private static Condition.Operator negate(Condition.Operator operator) {
        return switch (operator) {
            case EQ -> Condition.Operator.NEQ;
            case NEQ -> Condition.Operator.EQ;
            case GT -> Condition.Operator.LTE;
            case GTE -> Condition.Operator.LT;
            case LT -> Condition.Operator.GTE;
            default -> Condition.Operator.GT;
        };
    }

    private static CrmException refuse(ObjectDef object, FieldDef field, String problem) {
        return new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + field.apiName() + ": " + problem,
                Map.of("object", object.apiName(), "field", field.apiName()));
    }
}
