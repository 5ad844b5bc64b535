package dev.storefront.crm.schema;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.SchemaStore;
import dev.storefront.crm.storage.Transaction;
import dev.storefront.crm.storage.sql.Condition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one {@link SchemaChange} inside a transaction: checks it against the working snapshot and
 * the stored data, runs the DDL, and returns the next snapshot. Refuses anything that would lose
 * or corrupt data, naming the values in the way.
 */
public class SchemaChangeApplier {

    /** How many offending values an error message lists. */
    private static final int SAMPLE = 10;
    /** Kinds stored as VARCHAR whose values are checked in Java rather than by a cast. */
    private static final Set<FieldKind> CHECKED_IN_JAVA = EnumSet.of(FieldKind.EMAIL, FieldKind.PHONE, FieldKind.URL,
            FieldKind.ENUM, FieldKind.MULTI_ENUM);

    private final SchemaStore store;
    private final EntryStore entries;

    public SchemaChangeApplier(SchemaStore store, EntryStore entries) {
        this.store = store;
        this.entries = entries;
    }

    /**
     * The objects one decision's changes touched so far (their metadata rows are saved at the commit)
     * and, of those, the ones it created: their tables hold no rows, so no check reads them, and in
     * {@link Mode#CHECK} they have no table yet.
     */
    record Scope(Set<String> touched, Set<String> created) {

        Scope() {
            this(new LinkedHashSet<>(), new HashSet<>());
        }

        boolean empty(ObjectDef object) {
            return created.contains(object.apiName());
        }
    }

    /** What {@link #apply} runs. */
    enum Mode {
        /** The checks against the stored data alone, giving the model the change leads to; nothing is written. */
        CHECK,
        /** The checks, then the table change: DDL, and stored values filled or converted. */
        APPLY
    }

    /**
     * Applies {@code change}. A change's checks read the field's column under the name it has before
     * the change (the rename comes last), so {@link Mode#CHECK} can leave every write out. Its checks
     * then read the values as stored, before a type conversion or a default fills them, and the
     * database's own refusals of DDL are not met: what only those would refuse is refused by the
     * commit, which runs {@link Mode#APPLY} under the write lock.
     */
    MetadataSnapshot apply(Transaction tx, MetadataSnapshot snapshot, SchemaChange change, Scope scope, Mode mode) {
        boolean write = mode == Mode.APPLY;
        if (change instanceof SchemaChange.CreateObject create) {
            return createObject(tx, snapshot, create, scope, write);
        }
        if (change instanceof SchemaChange.AddField add) {
            return addField(tx, snapshot, add, scope, write);
        }
        if (change instanceof SchemaChange.UpdateField update) {
            return updateField(tx, snapshot, update, scope, write);
        }
        if (change instanceof SchemaChange.DeleteField delete) {
            return deleteField(tx, snapshot, delete, scope, write);
        }
        return deleteObject(tx, snapshot, (SchemaChange.DeleteObject) change, scope, write);
    }

    private MetadataSnapshot createObject(Transaction tx, MetadataSnapshot snapshot, SchemaChange.CreateObject create,
                                          Scope scope, boolean write) {
        if (create.singularLabel() == null || create.singularLabel().isBlank()
                || create.pluralLabel() == null || create.pluralLabel().isBlank()) {
            throw new CrmException(ErrorCode.VALIDATION, "An object needs a singular and a plural label",
                    Map.of("object", String.valueOf(create.apiName())));
        }
        String apiName = create.apiName() == null ? ApiNames.fromLabel(create.pluralLabel()) : create.apiName();
        String singular = ApiNames.fromLabel(create.singularLabel());
        checkObjectNames(snapshot, apiName, singular);
        ObjectDef object = new ObjectDef(apiName, singular, create.singularLabel().strip(), create.pluralLabel().strip(),
                create.description(), List.of());
        // Added one by one so relations may point at the object itself and names are checked against siblings.
        MetadataSnapshot working = snapshot.with(object);
        for (FieldSpec spec : create.fields()) {
            ObjectDef owner = working.object(apiName);
            List<FieldDef> fields = new ArrayList<>(owner.fields());
            fields.add(FieldRules.define(working, owner, spec, fields.size()));
            working = working.with(owner.withFields(fields));
        }
        if (write) {
            store.createTable(tx, working.object(apiName));
            entries.forget(apiName);
        }
        scope.touched().add(apiName);
        scope.created().add(apiName);
        return working;
    }

    private static void checkObjectNames(MetadataSnapshot snapshot, String apiName, String singular) {
        for (String name : List.of(apiName, singular)) {
            // Clashes with the API's own names are found when the candidate schema is built (TypeNames.claims).
            if (!ApiNames.isValid(name) || name.startsWith(ApiNames.RESERVED_PREFIX)) {
                throw new CrmException(ErrorCode.VALIDATION, "'" + name + "' cannot name an object: use a-z, 0-9 and _,"
                        + " start with a letter and avoid the crm_ prefix", Map.of("object", name));
            }
        }
        if (apiName.equals(singular)) {
            throw new CrmException(ErrorCode.VALIDATION, "An object's singular and plural names must differ ('" + apiName + "')",
                    Map.of("object", apiName));
        }
        for (ObjectDef other : snapshot.objects()) {
            Set<String> used = Set.of(other.apiName(), other.singularApiName());
            if (used.contains(apiName) || used.contains(singular)) {
                throw new ConflictException("An object named '" + other.apiName() + "' already uses the name '"
                        + (used.contains(apiName) ? apiName : singular) + "'", Map.of("object", apiName));
            }
        }
    }

    private MetadataSnapshot addField(Transaction tx, MetadataSnapshot snapshot, SchemaChange.AddField add, Scope scope,
                                      boolean write) {
        ObjectDef owner = snapshot.object(add.object());
        List<FieldDef> fields = new ArrayList<>(owner.fields());
        FieldDef field = FieldRules.define(snapshot, owner, add.field(), fields.size());
        if (field.required() && field.defaultValue() == null && !scope.empty(owner)) {
            long rows = store.countRows(tx, owner, Condition.always());
            if (rows > 0) {
                throw new ConflictException(owner.apiName() + "." + field.apiName() + " cannot be required without a default: "
                        + rows + " entries would have no value", Map.of("object", owner.apiName(), "field", field.apiName()));
            }
        }
        if (write) {
            store.addColumn(tx, owner, field, field.defaultValue());
        }
        fields.add(field);
        scope.touched().add(owner.apiName());
        return snapshot.with(owner.withFields(fields));
    }

    private MetadataSnapshot updateField(Transaction tx, MetadataSnapshot snapshot, SchemaChange.UpdateField update,
                                         Scope scope, boolean write) {
        ObjectDef owner = snapshot.object(update.object());
        FieldDef old = snapshot.field(update.object(), update.field());
        FieldDef next = FieldRules.patch(snapshot, owner, old, update.patch());
        // An object this decision created holds no rows: nothing stored to check.
        boolean stored = !scope.empty(owner);
        if (next.kind() != old.kind()) {
            convertValues(tx, owner, old, next, stored, write);
        } else if (next.numberScale() != old.numberScale() && next.kind() == FieldKind.NUMBER && write) {
            // A new scale rounds stored values half away from zero, as every write to the field does.
            store.retypeColumn(tx, owner, old, next);
        } else if (next.kind().hasOptions() && stored) {
            refuseLostOptions(tx, owner, old, next);
        }
        // Until the rename at the end the values are in the old column, converted if the kind changed.
        if (next.required() && !old.required() && stored) {
            requireValues(tx, owner, old, next, write);
        }
        if (next.unique() && !old.unique() && stored) {
            List<String> duplicates = store.duplicateValues(tx, owner, old, SAMPLE);
            if (!duplicates.isEmpty()) {
                throw new ConflictException(owner.apiName() + "." + next.apiName() + " cannot become unique: these values"
                        + " are held by more than one entry: " + String.join(", ", duplicates),
                        Map.of("object", owner.apiName(), "field", next.apiName(), "values", duplicates));
            }
        }
        if (!next.column().equals(old.column()) && write) {
            store.renameColumn(tx, owner, old.column(), next.column());
        }
        List<FieldDef> fields = new ArrayList<>(owner.fields());
        fields.set(fields.indexOf(old), next);
        scope.touched().add(owner.apiName());
        for (ReverseRelation reverse : snapshot.reverseRelationsOf(owner.apiName())) {
            scope.touched().add(reverse.source().apiName());
        }
        return snapshot.with(owner.withFields(fields));
    }

    private void convertValues(Transaction tx, ObjectDef owner, FieldDef old, FieldDef next, boolean stored, boolean write) {
        List<String> refused;
        if (old.kind().isList() && !next.kind().isList() && next.kind() != FieldKind.TEXT && next.kind() != FieldKind.RICHTEXT) {
            throw new CrmException(ErrorCode.VALIDATION, owner.apiName() + "." + old.apiName()
                    + ": a list can only be converted to text or to another list kind",
                    Map.of("object", owner.apiName(), "field", old.apiName()));
        }
        if (!stored) {
            refused = List.of();
        } else if (CHECKED_IN_JAVA.contains(next.kind())) {
            refused = store.distinctValues(tx, owner, old).stream().filter(v -> !converts(owner, next, v)).limit(SAMPLE).toList();
        } else {
            refused = store.valuesThatDoNotConvert(tx, owner, old, next, SAMPLE);
        }
        if (!refused.isEmpty()) {
            throw new ConflictException(owner.apiName() + "." + old.apiName() + " cannot become "
                    + next.kind().name().toLowerCase() + ": these stored values do not convert: " + String.join(", ", refused),
                    Map.of("object", owner.apiName(), "field", old.apiName(), "values", refused));
        }
        if (write) {
            store.retypeColumn(tx, owner, old, next);
        }
    }

    private static boolean converts(ObjectDef owner, FieldDef field, String value) {
        try {
            FieldValues.fromText(owner.apiName(), field, field.kind().isList() ? "[" + quote(value) + "]" : value);
            return true;
        } catch (CrmException e) {
            return false;
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private void refuseLostOptions(Transaction tx, ObjectDef owner, FieldDef old, FieldDef next) {
        List<String> removed = FieldRules.removedOptions(old, next);
        if (removed.isEmpty()) {
            return;
        }
        List<String> inUse = store.distinctValues(tx, owner, old).stream().filter(removed::contains).toList();
        if (!inUse.isEmpty()) {
            throw new ConflictException(owner.apiName() + "." + old.apiName() + ": cannot remove options still in use: "
                    + String.join(", ", inUse), Map.of("object", owner.apiName(), "field", old.apiName(), "values", inUse));
        }
    }

    /** {@code stored}: the field as its column is named now; {@code field}: as it will be. */
    private void requireValues(Transaction tx, ObjectDef owner, FieldDef stored, FieldDef field, boolean write) {
        if (field.defaultValue() != null) {
            if (write) {
                store.fillNulls(tx, owner, stored, field.defaultValue());
            }
            return;
        }
        long missing = store.countRows(tx, owner, Condition.isNull(stored.column()));
        if (missing > 0) {
            throw new ConflictException(owner.apiName() + "." + field.apiName() + " cannot become required: " + missing
                    + " entries have no value (give a default to fill them)",
                    Map.of("object", owner.apiName(), "field", field.apiName()));
        }
    }

    private MetadataSnapshot deleteField(Transaction tx, MetadataSnapshot snapshot, SchemaChange.DeleteField delete,
                                         Scope scope, boolean write) {
        ObjectDef owner = snapshot.object(delete.object());
        FieldDef field = snapshot.field(delete.object(), delete.field());
        if (!delete.confirm() && !scope.empty(owner)) {
            long holding = store.countRows(tx, owner, Condition.isNotNull(field.column()));
            if (holding > 0) {
                throw new ConflictException(owner.apiName() + "." + field.apiName() + " holds values in " + holding
                        + " entries; deleting it loses them. Repeat with confirm: true to delete anyway",
                        Map.of("object", owner.apiName(), "field", field.apiName(), "entries", holding));
            }
        }
        if (write) {
            store.dropColumn(tx, owner, field);
        }
        List<FieldDef> fields = new ArrayList<>(owner.fields());
        fields.remove(field);
        for (int i = 0; i < fields.size(); i++) {
            fields.set(i, fields.get(i).withPosition(i));
        }
        scope.touched().add(owner.apiName());
        return snapshot.with(owner.withFields(fields));
    }

    private MetadataSnapshot deleteObject(Transaction tx, MetadataSnapshot snapshot, SchemaChange.DeleteObject delete,
                                          Scope scope, boolean write) {
        ObjectDef object = snapshot.object(delete.object());
        List<String> pointing = snapshot.reverseRelationsOf(object.apiName()).stream()
                .filter(r -> !r.source().apiName().equals(object.apiName()))
                .map(r -> r.source().apiName() + "." + r.field().apiName()).toList();
        if (!pointing.isEmpty()) {
            throw new ConflictException(object.apiName() + " is the target of " + String.join(", ", pointing)
                    + "; delete those relation fields first", Map.of("object", object.apiName(), "fields", pointing));
        }
        if (!delete.confirm() && !scope.empty(object)) {
            long rows = store.countRows(tx, object, Condition.always());
            if (rows > 0) {
                throw new ConflictException(object.apiName() + " has " + rows + " entries; deleting it loses them."
                        + " Repeat with confirm: true to delete anyway", Map.of("object", object.apiName(), "entries", rows));
            }
        }
        if (write) {
            store.dropTable(tx, object.apiName());
            entries.forget(object.apiName());
        }
        scope.touched().add(object.apiName());
        return snapshot.without(object.apiName());
    }
}
