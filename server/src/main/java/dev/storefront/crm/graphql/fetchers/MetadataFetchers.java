package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.FieldPatch;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import dev.storefront.crm.schema.SchemaService;
import graphql.schema.DataFetcher;
import java.util.List;
import java.util.Map;

/**
 * Fetchers of the metadata API. Reads answer from the snapshot the request's schema was built on;
 * changes go through {@link SchemaService}, which swaps the schema before they return.
 */
public final class MetadataFetchers {

    private final SchemaService schema;
    private final EntryService entries;

    public MetadataFetchers(SchemaService schema, EntryService entries) {
        this.schema = schema;
        this.entries = entries;
    }

    /** Recomputes every rollup and formula of an object, one statement for all; answers how many entries changed. */
    public DataFetcher<Integer> recomputeRollups() {
        return env -> Math.toIntExact(entries.recomputeRollups(schema.current().object(env.getArgument("object"))));
    }

    public static DataFetcher<List<ObjectDef>> objects(MetadataSnapshot snapshot) {
        return env -> snapshot.objects();
    }

    public static DataFetcher<ObjectDef> object(MetadataSnapshot snapshot) {
        return env -> snapshot.find(env.getArgument("apiName")).orElse(null);
    }

    public DataFetcher<ObjectDef> createObject() {
        return env -> {
            Map<String, Object> input = env.getArgument("input");
            List<Map<String, Object>> fields = input.get("fields") == null ? List.of() : cast(input.get("fields"));
            SchemaChange.CreateObject change = new SchemaChange.CreateObject((String) input.get("apiName"),
                    (String) input.get("singularLabel"), (String) input.get("pluralLabel"), (String) input.get("description"),
                    fields.stream().map(MetadataFetchers::spec).toList());
            String apiName = change.apiName() != null ? change.apiName() : ApiNames.fromLabel(change.pluralLabel());
            return schema.apply(change).object(apiName);
        };
    }

    public DataFetcher<FieldDef> addField() {
        return env -> {
            String object = env.getArgument("object");
            FieldSpec spec = spec(env.getArgument("input"));
            String apiName = spec.apiName() != null ? spec.apiName() : ApiNames.fromLabel(spec.label());
            return schema.apply(new SchemaChange.AddField(object, spec)).field(object, apiName);
        };
    }

    public DataFetcher<FieldDef> updateField() {
        return env -> {
            String object = env.getArgument("object");
            String field = env.getArgument("field");
            Map<String, Object> input = env.getArgument("input");
            FieldPatch patch = new FieldPatch((String) input.get("label"), (String) input.get("apiName"),
                    (FieldKind) input.get("type"), (Boolean) input.get("required"), (Boolean) input.get("unique"),
                    input.get("defaultValue"), Boolean.TRUE.equals(input.get("clearDefault")), cast(input.get("options")),
                    (String) input.get("description"), null, (Integer) input.get("scale"));
            String apiName = patch.apiName() != null ? patch.apiName() : field;
            return schema.apply(new SchemaChange.UpdateField(object, field, patch)).field(object, apiName);
        };
    }

    public DataFetcher<FieldDef> deleteField() {
        return env -> {
            String object = env.getArgument("object");
            String field = env.getArgument("field");
            FieldDef deleted = schema.current().field(object, field);
            schema.apply(new SchemaChange.DeleteField(object, field, Boolean.TRUE.equals(env.getArgument("confirm"))));
            return deleted;
        };
    }

    public DataFetcher<ObjectDef> deleteObject() {
        return env -> {
            String apiName = env.getArgument("apiName");
            ObjectDef deleted = schema.current().object(apiName);
            schema.apply(new SchemaChange.DeleteObject(apiName, Boolean.TRUE.equals(env.getArgument("confirm"))));
            return deleted;
        };
    }

    private static FieldSpec spec(Map<String, Object> input) {
        return new FieldSpec((String) input.get("label"), (String) input.get("apiName"), (FieldKind) input.get("type"),
                Boolean.TRUE.equals(input.get("required")), Boolean.TRUE.equals(input.get("unique")),
                input.get("defaultValue"), cast(input.get("options")), (String) input.get("relatedObject"),
                (String) input.get("description"), null, (Integer) input.get("scale"));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
