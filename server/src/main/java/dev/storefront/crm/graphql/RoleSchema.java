package dev.storefront.crm.graphql;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.TypeNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.security.CustomRole;
import dev.storefront.crm.security.CustomRole.Operation;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLModifiedType;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLNamedSchemaElement;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema a custom role sees, derived from the full schema (not rebuilt from the model): the root
 * fields of the objects and operations it is granted and nothing else of the host or the plugins; on
 * each object's type only the fields it reads; in its filters, sort and group keys, unique keys and
 * aggregates only those fields; in its create, update and increment inputs only the fields it writes.
 * Types that nothing reaches any more (hidden objects, options of hidden fields) drop out, so
 * introspection shows exactly what the role may use, and validation refuses the rest as unknown.
 */
final class RoleSchema {

    private static final Set<String> SYSTEM = Set.of("id", "createdAt", "updatedAt");

    /** Per type: the names that stay (root and entry types, an allow-list) or go (the types derived from an object). */
    private final Map<String, Set<String>> shown = new HashMap<>();
    private final Map<String, Set<String>> hidden = new HashMap<>();
    private final Set<String> queries = new HashSet<>();
    private final Set<String> mutations = new HashSet<>();
    /** Derived types the role sees no member of: whatever uses them goes too. */
    private final Set<String> emptied = new HashSet<>();
    /** Names of the types still to copy, as the copies point at them. */
    private final Deque<String> pending = new ArrayDeque<>();

    private RoleSchema() {
    }

    /**
     * Copies, from the roots down, each type the role reaches, without the members it may not see
     * or set, every type a copy uses named by reference; the schema built from the copies resolves
     * the references, and what no copy names (hidden objects, options of hidden fields) is not in it.
     */
    static GraphQLSchema restrict(GraphQLSchema full, MetadataSnapshot model, CustomRole role) {
        RoleSchema plan = new RoleSchema();
        for (ObjectDef object : model.objects()) {
            if (role.may(object.apiName(), Operation.READ)) {
                plan.grant(full, model, object, role);
            }
        }
        plan.shown.put(full.getQueryType().getName(), plan.queries);
        Map<String, GraphQLNamedType> copies = new LinkedHashMap<>();
        plan.pending.add(full.getQueryType().getName());
        if (full.getMutationType() != null) {
            plan.shown.put(full.getMutationType().getName(), plan.mutations);
            plan.pending.add(full.getMutationType().getName());
        }
        while (!plan.pending.isEmpty()) {
            String name = plan.pending.pop();
            if (!copies.containsKey(name)) {
                copies.put(name, plan.copy((GraphQLNamedType) full.getType(name)));
            }
        }
        GraphQLObjectType query = (GraphQLObjectType) copies.remove(full.getQueryType().getName());
        if (query.getFieldDefinitions().isEmpty()) {
            throw new CrmException(ErrorCode.VALIDATION, "The role " + role.name() + " grants no object of the current model",
                    Map.of("role", role.name()));
        }
        GraphQLObjectType mutation = full.getMutationType() == null ? null : (GraphQLObjectType) copies.remove(full.getMutationType().getName());
        return GraphQLSchema.newSchema()
                .query(query)
                .mutation(mutation == null || mutation.getFieldDefinitions().isEmpty() ? null : mutation)
                .additionalTypes(new HashSet<>(copies.values()))
                .codeRegistry(full.getCodeRegistry())
                .build();
    }

    private void grant(GraphQLSchema full, MetadataSnapshot model, ObjectDef object, CustomRole role) {
        queries.addAll(List.of(TypeNames.findOne(object), TypeNames.findMany(object), TypeNames.aggregateField(object)));
        boolean create = role.may(object.apiName(), Operation.CREATE);
        boolean update = role.may(object.apiName(), Operation.UPDATE);
        if (create) {
            mutations.addAll(List.of(TypeNames.create(object), TypeNames.createMany(object)));
        }
        if (update) {
            mutations.addAll(List.of(TypeNames.update(object), TypeNames.increment(object)));
        }
        if (create && update) {
            mutations.add(TypeNames.upsert(object));
        }
        if (role.may(object.apiName(), Operation.DELETE)) {
            mutations.add(TypeNames.delete(object));
        }
        Set<String> readable = new HashSet<>(SYSTEM);
        Set<String> unreadable = new HashSet<>();
        Set<String> unwritable = new HashSet<>();
        for (FieldDef field : object.fields()) {
            List<String> names = field.isRelation()
                    ? List.of(TypeNames.field(field), TypeNames.relationId(field), TypeNames.fieldConstant(field))
                    : List.of(TypeNames.field(field), TypeNames.fieldConstant(field));
            (role.reads(object, field) ? readable : unreadable).addAll(names);
            if (!role.writes(object, field)) {
                unwritable.addAll(names);
            }
        }
        for (ReverseRelation relation : model.reverseRelationsOf(object.apiName())) {
            (role.reads(model, relation) ? readable : unreadable).add(TypeNames.reverseList(relation));
        }
        shown.put(TypeNames.type(object), readable);
        for (String type : List.of(TypeNames.where(object), TypeNames.sortField(object), TypeNames.uniqueField(object),
                TypeNames.aggregateKey(object), TypeNames.numbers(object), TypeNames.groupField(object))) {
            hide(full, type, unreadable);
        }
        Set<String> unsettable = new HashSet<>(unreadable);
        unsettable.addAll(unwritable);
        for (String type : List.of(TypeNames.createInput(object), TypeNames.updateInput(object), TypeNames.incrementInput(object))) {
            hide(full, type, unsettable);
        }
    }

    private void hide(GraphQLSchema full, String type, Set<String> names) {
        hidden.put(type, names);
        GraphQLType existing = full.getType(type);
        if (existing != null && members(existing).stream().allMatch(names::contains)) {
            emptied.add(type);
        }
    }

    private static List<String> members(GraphQLType type) {
        if (type instanceof GraphQLFieldsContainer fields) {
            return fields.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).toList();
        }
        if (type instanceof GraphQLInputObjectType input) {
            return input.getFieldDefinitions().stream().map(GraphQLInputObjectField::getName).toList();
        }
        return type instanceof GraphQLEnumType e ? e.getValues().stream().map(GraphQLEnumValueDefinition::getName).toList() : List.of();
    }

    /** {@code type} less what the role may not use, pointing at the types it uses by reference (queued for copying). */
    private GraphQLNamedType copy(GraphQLNamedType type) {
        if (type instanceof GraphQLObjectType object) {
            return object.transform(b -> b.replaceFields(fields(object)).replaceInterfaces(references(object.getInterfaces())));
        }
        if (type instanceof GraphQLInterfaceType face) {
            return face.transform(b -> b.replaceFields(fields(face)).replaceInterfacesOrReferences(references(face.getInterfaces())));
        }
        if (type instanceof GraphQLUnionType union) {
            return union.transform(b -> b.replacePossibleTypes(references(union.getTypes())));
        }
        if (type instanceof GraphQLInputObjectType input) {
            List<GraphQLInputObjectField> kept = input.getFieldDefinitions().stream()
                    .filter(f -> keeps(input, f.getName()) && !emptied.contains(name(f.getType())))
                    .map(f -> f.transform(b -> b.type((GraphQLInputType) reference(f.getType())))).toList();
            return input.transform(b -> b.replaceFields(kept));
        }
        if (type instanceof GraphQLEnumType values) {
            return values.transform(b -> b.replaceValues(values.getValues().stream().filter(v -> keeps(values, v.getName())).toList()));
        }
        return type;
    }

    private List<GraphQLFieldDefinition> fields(GraphQLFieldsContainer container) {
        return container.getFieldDefinitions().stream().filter(f -> keeps(container, f.getName()) && !usesEmptied(f))
                .map(f -> f.transform(b -> b.type((GraphQLOutputType) reference(f.getType())).replaceArguments(f.getArguments().stream()
                        .map(a -> a.transform(ab -> ab.type((GraphQLInputType) reference(a.getType())))).toList())))
                .toList();
    }

    private List<GraphQLTypeReference> references(List<? extends GraphQLNamedOutputType> types) {
        return types.stream().map(t -> (GraphQLTypeReference) reference(t)).toList();
    }

    /** {@code type} with its list and non-null wrappers, the named type inside as a reference; scalars stay as they are. */
    private GraphQLType reference(GraphQLType type) {
        if (type instanceof GraphQLNonNull nonNull) {
            return GraphQLNonNull.nonNull(reference(nonNull.getWrappedType()));
        }
        if (type instanceof GraphQLList list) {
            return GraphQLList.list(reference(list.getWrappedType()));
        }
        if (type instanceof GraphQLScalarType) {
            return type;
        }
        String name = ((GraphQLNamedSchemaElement) type).getName();
        pending.add(name);
        return GraphQLTypeReference.typeRef(name);
    }

    private boolean usesEmptied(GraphQLFieldDefinition field) {
        return emptied.contains(name(field.getType())) || field.getArguments().stream().map(GraphQLArgument::getType)
                .anyMatch(t -> emptied.contains(name(t)));
    }

    private static String name(GraphQLType type) {
        GraphQLType unwrapped = type;
        while (unwrapped instanceof GraphQLModifiedType modified) {
            unwrapped = modified.getWrappedType();
        }
        return ((GraphQLNamedSchemaElement) unwrapped).getName();
    }

    private boolean keeps(GraphQLNamedSchemaElement type, String member) {
        Set<String> allowed = shown.get(type.getName());
        if (allowed != null) {
            return allowed.contains(member);
        }
        Set<String> denied = hidden.get(type.getName());
        return denied == null || !denied.contains(member);
    }
}
