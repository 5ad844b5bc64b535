package dev.storefront.crm.graphql.types;

import static dev.storefront.crm.metadata.ApiNames.camel;
import static dev.storefront.crm.metadata.ApiNames.pascal;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldNames;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;

/**
 * The one rule that names every generated GraphQL type and field. Clients depend on these names:
 * object {@code support_tickets} (singular {@code support_ticket}) gives type {@code SupportTicket},
 * queries {@code supportTicket} and {@code supportTickets}, mutation {@code createSupportTicket}.
 */
public final class TypeNames {

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
}
