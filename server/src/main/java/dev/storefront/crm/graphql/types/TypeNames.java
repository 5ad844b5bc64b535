package dev.storefront.crm.graphql.types;

import static dev.storefront.crm.metadata.ApiNames.camel;
import static dev.storefront.crm.metadata.ApiNames.pascal;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldNames;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule that names every generated GraphQL type and field. Clients depend on these names:
 * object {@code support_tickets} (singular {@code support_ticket}) gives type {@code SupportTicket},
 * queries {@code supportTicket} and {@code supportTickets}, mutation {@code createSupportTicket}.
 *
 * <p>It is also the one place names are reserved: the host's own types and root fields (metadata,
 * views, SQL, plugins, jobs, importers) and, through {@link #claims}, every name an object's
 * generators produce, so a clash is found before a model change is written.
 */
public final class TypeNames {

    /** GraphQL's own names and the host's types, whatever the model and the plugins. */
    public static final Set<String> HOST_TYPES = Set.of("Query", "Mutation", "Subscription", "String", "Int", "Float",
            "Boolean", "ID", "Date", "DateTime", "JSON", "Long", "Decimal", "Node", "PageInfo", "SortDirection",
            "SortNulls", "DateGranularity", "StringFilter", "DecimalFilter", "LongFilter", "IntFilter", "BooleanFilter", "DateFilter",
            "DateTimeFilter", "IDFilter", "TagsFilter", "CrmObject", "CrmField", "FieldType", "FieldInput",
            "CreateObjectInput", "FieldChangesInput", "Entry", "EntryEdge", "EntryConnection", "View", "ViewType",
            "ViewInput", "ViewChangesInput", "Kanban", "KanbanColumn", "SqlColumn", "SqlResult", "Plugin",
            "PluginContributions", "ColumnMapping", "Importer", "PluginJobInfo", "JobState", "JobError", "Job",
            "ApiKey", "ApiKeyRole", "CreatedApiKey", "AuditEntry", "Backup", "RoleOperation", "ObjectGrant", "CustomRole",
            "ObjectGrantInput", "RoleInput");
    /** Root fields of the host's API, as {@code Query.name} and {@code Mutation.name}. */
    public static final Set<String> HOST_ROOT_FIELDS = Set.of("Query.node", "Query.nodes", "Query.objects",
            "Query.object", "Query.views", "Query.view", "Query.viewEntries", "Query.kanban", "Query.sql", "Query.plugins", "Query.plugin", "Query.importers",
            "Query.pluginJobs", "Query.jobs", "Query.job", "Mutation.createObject", "Mutation.deleteObject",
            "Mutation.addField", "Mutation.updateField", "Mutation.deleteField", "Mutation.createView",
            "Mutation.updateView", "Mutation.deleteView", "Mutation.moveEntry", "Mutation.startPlugin",
            "Mutation.stopPlugin", "Mutation.enablePlugin", "Mutation.disablePlugin", "Mutation.runJob",
            "Mutation.cancelJob", "Mutation.resumeImport", "Mutation.recomputeRollups", "Query.apiKeys", "Query.auditLog", "Mutation.createApiKey",
            "Mutation.revokeApiKey", "Mutation.backup", "Query.roles", "Mutation.createRole", "Mutation.updateRole",
            "Mutation.deleteRole");

    private TypeNames() {
    }

    public static String type(ObjectDef object) {
        return pascal(object.singularApiName());
    }

    public static String edge(ObjectDef object) {
        return type(object) + "Edge";
    }

    public static String connection(ObjectDef object) {
        return type(object) + "Connection";
    }

    public static String createInput(ObjectDef object) {
        return type(object) + "CreateInput";
    }

    public static String updateInput(ObjectDef object) {
        return type(object) + "UpdateInput";
    }

    public static String incrementInput(ObjectDef object) {
        return type(object) + "IncrementInput";
    }

    public static String uniqueField(ObjectDef object) {
        return type(object) + "UniqueField";
    }

    public static String where(ObjectDef object) {
        return type(object) + "Where";
    }

    /** Filters a reverse list of this object: some, none, count. */
    public static String listFilter(ObjectDef object) {
        return type(object) + "ListFilter";
    }

    public static String orderBy(ObjectDef object) {
        return type(object) + "OrderBy";
    }

    public static String sortField(ObjectDef object) {
        return type(object) + "SortField";
    }

    public static String enumFilter(ObjectDef object, FieldDef field) {
        return enumType(object, field) + (field.kind().isList() ? "ListFilter" : "Filter");
    }

    /** {@code lifetime_value} → {@code LIFETIME_VALUE}, as a value of a field-naming enum. */
    public static String fieldConstant(FieldDef field) {
        return FieldNames.constant(field);
    }

    /** {@code customers.customer_segment} → {@code CustomerCustomerSegment}. */
    public static String enumType(ObjectDef object, FieldDef field) {
        return type(object) + pascal(field.apiName());
    }

    public static String field(FieldDef field) {
        return FieldNames.of(field);
    }

    /** The id of a relation's target, beside the relation itself: {@code customerId}. */
    public static String relationId(FieldDef field) {
        return FieldNames.relationId(field);
    }

    public static String reverseList(ReverseRelation relation) {
        return FieldNames.reverseList(relation);
    }

    public static String aggregate(ObjectDef object) {
        return type(object) + "Aggregate";
    }

    public static String aggregateKey(ObjectDef object) {
        return type(object) + "AggregateKey";
    }

    public static String numbers(ObjectDef object) {
        return type(object) + "Numbers";
    }

    public static String groupBy(ObjectDef object) {
        return type(object) + "GroupBy";
    }

    public static String groupField(ObjectDef object) {
        return type(object) + "GroupField";
    }

    /** {@code customersAggregate}. */
    public static String aggregateField(ObjectDef object) {
        return findMany(object) + "Aggregate";
    }

    public static String findOne(ObjectDef object) {
        return camel(object.singularApiName());
    }

    public static String findMany(ObjectDef object) {
        return camel(object.apiName());
    }

    public static String create(ObjectDef object) {
        return "create" + type(object);
    }

    public static String createMany(ObjectDef object) {
        return "create" + pascal(object.apiName());
    }

    public static String update(ObjectDef object) {
        return "update" + type(object);
    }

    public static String upsert(ObjectDef object) {
        return "upsert" + type(object);
    }

    public static String delete(ObjectDef object) {
        return "delete" + type(object);
    }

    public static String increment(ObjectDef object) {
        return "increment" + type(object);
    }

    /** {@code Query.customers}: how a root field is named in {@link #claims} and {@link #HOST_ROOT_FIELDS}. */
    public static String queryKey(String field) {
        return "Query." + field;
    }

    public static String mutationKey(String field) {
        return "Mutation." + field;
    }

    /**
     * Every type and root field the generators make for {@code object}, each with what it stands for
     * in a store owner's words ({@code OrderStatus → "the options of field orders.status"}), and the
     * field names of its entry type, as {@code Order.status}. Two claims of one name are a clash.
     */
    public static Map<String, String> claims(ObjectDef object) {
        Map<String, String> claims = new LinkedHashMap<>();
        String self = "object " + object.apiName();
        for (String type : List.of(type(object), edge(object), connection(object), createInput(object), updateInput(object),
                uniqueField(object), where(object), listFilter(object), orderBy(object), sortField(object), aggregate(object),
                aggregateKey(object), numbers(object), groupBy(object), groupField(object), incrementInput(object))) {
            claim(claims, type, self);
        }
        for (String query : List.of(findOne(object), findMany(object), aggregateField(object))) {
            claim(claims, queryKey(query), self);
        }
        for (String mutation : List.of(create(object), createMany(object), update(object), upsert(object), delete(object),
                increment(object))) {
            claim(claims, mutationKey(mutation), self);
        }
        for (String system : List.of("id", "createdAt", "updatedAt", "and", "or", "not")) {
            claims.put(type(object) + "." + system, "a built-in field of every object");
        }
        for (FieldDef field : object.fields()) {
            String owner = "field " + object.apiName() + "." + field.apiName();
            if (field.kind().hasOptions()) {
                claim(claims, enumType(object, field), "the options of " + owner);
                claim(claims, enumFilter(object, field), "the filter of " + owner);
            }
            claim(claims, type(object) + "." + field(field), owner);
            if (field.isRelation()) {
                claim(claims, type(object) + "." + relationId(field), owner);
            }
        }
        return claims;
    }

    /** Adds a claim; a name claimed twice within one object is refused here, naming both. */
    private static void claim(Map<String, String> claims, String name, String owner) {
        String earlier = claims.putIfAbsent(name, owner);
        if (earlier != null) {
            throw new NameClash(name, earlier, owner);
        }
    }
}
