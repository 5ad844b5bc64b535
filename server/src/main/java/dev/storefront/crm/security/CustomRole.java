package dev.storefront.crm.security;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldNames;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.metadata.SystemFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A role defined by allow-lists: per object the operations it may use, and per field whether it may
 * read and write it. Whatever is not listed is out of reach, so an object or field added later stays
 * hidden until a role is granted it. Objects are named by api name ({@code customers}), fields by
 * their GraphQL name ({@code lifetimeValue}; a relation {@code company} also covers {@code companyId}).
 * Every readable object shows its {@code id}, {@code createdAt} and {@code updatedAt}.
 *
 * @param configured true for a role declared in configuration ({@code crm.security.roles.*}), which
 *                   only the configuration changes
 */
public record CustomRole(String name, Map<String, ObjectGrant> objects, boolean configured) {

    public enum Operation {
        READ, CREATE, UPDATE, DELETE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a role may do with one object. */
    public record ObjectGrant(Set<Operation> operations, Set<String> readable, Set<String> writable) {

        public ObjectGrant {
            operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
            readable = Set.copyOf(readable);
            writable = Set.copyOf(writable);
        }
    }

    public CustomRole {
        objects = Map.copyOf(objects);
    }

    public boolean may(String object, Operation operation) {
        ObjectGrant grant = objects.get(object);
        return grant != null && grant.operations().contains(operation);
    }

    /** Whether the role reads {@code field} of {@code object}; a relation also needs its target readable. */
    public boolean reads(ObjectDef object, FieldDef field) {
        if (!may(object.apiName(), Operation.READ)) {
            return false;
        }
        if (isSystem(field)) {
            return true;
        }
        return objects.get(object.apiName()).readable().contains(FieldNames.of(field))
                && (!field.isRelation() || may(field.relatedObject(), Operation.READ));
    }

    /** Whether the role sets {@code field} when it creates or updates entries of {@code object}. */
    public boolean writes(ObjectDef object, FieldDef field) {
        return reads(object, field) && !isSystem(field) && objects.get(object.apiName()).writable().contains(FieldNames.of(field));
    }

    /** A reverse list ({@code customer.orders}) shows when the role reads its source object's relation field. */
    public boolean reads(MetadataSnapshot model, ReverseRelation relation) {
        return model.find(relation.field().relatedObject()).filter(target -> may(target.apiName(), Operation.READ)).isPresent()
                && reads(relation.source(), relation.field());
    }

    /** The model as this role sees it: its readable objects with their readable fields, for exports. */
    public MetadataSnapshot restrict(MetadataSnapshot model) {
        List<ObjectDef> visible = new ArrayList<>();
        for (ObjectDef object : model.objects()) {
            if (may(object.apiName(), Operation.READ)) {
                visible.add(object.withFields(object.fields().stream().filter(f -> reads(object, f)).toList()));
            }
        }
        return new MetadataSnapshot(model.version(), visible);
    }

    /** The grants' object and field names that {@code model} does not have, as "customers.nickname". */
    public List<String> unknownNames(MetadataSnapshot model) {
        List<String> unknown = new ArrayList<>();
        objects.forEach((objectName, grant) -> model.find(objectName).ifPresentOrElse(object -> {
            for (String field : names(grant.readable(), grant.writable())) {
                if (FieldNames.find(object, field).filter(f -> FieldNames.of(f).equals(field)).isEmpty()) {
                    unknown.add(objectName + "." + field);
                }
            }
        }, () -> unknown.add(objectName)));
        return unknown;
    }

    private static Set<String> names(Collection<String> a, Collection<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean isSystem(FieldDef field) {
        return SystemFields.find(field.apiName()).isPresent();
    }
}
