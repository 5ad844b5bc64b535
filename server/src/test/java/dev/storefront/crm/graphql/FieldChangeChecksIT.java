package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.FieldPatch;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field change that renames and also makes the field unique or required: a lone change is first
 * checked without its DDL (no rename yet), so its checks read the values under the old name, and
 * they must refuse and accept exactly what the commit, which renames, does.
 */
class FieldChangeChecksIT {

    @TempDir
    Path folder;

    @Test
    void aRenameToUniqueIsRefusedOnTheDuplicatesStoredUnderTheOldName() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            ObjectDef codes = codesHolding(parts, "A", "A", "B");

            CrmException refused = catchThrowableOfType(CrmException.class, () -> parts.schema.apply(
                    new SchemaChange.UpdateField("codes", "code", patch("label_code", null, true, null))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused.getMessage()).isEqualTo(
                    "codes.label_code cannot become unique: these values are held by more than one entry: A");
            assertThat(parts.schema.current().object("codes")).isEqualTo(codes);
            assertThat(String.valueOf(parts.execute("{ codes { nodes { code } } }").<Object>getData()))
                    .isEqualTo("{codes={nodes=[{code=A}, {code=A}, {code=B}]}}");
        }
    }

    @Test
    void aRenameToRequiredWithADefaultFillsTheEmptyEntriesUnderTheNewName() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            codesHolding(parts, "A", null, "B");

            parts.schema.apply(new SchemaChange.UpdateField("codes", "code", patch("label_code", true, null, "none")));

            assertThat(parts.schema.current().object("codes").fields()).extracting(FieldDef::apiName).containsExactly("label_code");
            assertThat(String.valueOf(parts.execute("{ codes { nodes { labelCode } } }").<Object>getData()))
                    .isEqualTo("{codes={nodes=[{labelCode=A}, {labelCode=none}, {labelCode=B}]}}");
        }
    }

    @Test
    void aRenameToRequiredWithoutADefaultIsRefusedOnTheEmptyEntriesUnderTheOldName() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            ObjectDef codes = codesHolding(parts, "A", null, null);

            CrmException refused = catchThrowableOfType(CrmException.class, () -> parts.schema.apply(
                    new SchemaChange.UpdateField("codes", "code", patch("label_code", true, null, null))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused.getMessage()).isEqualTo(
                    "codes.label_code cannot become required: 2 entries have no value (give a default to fill them)");
            assertThat(parts.schema.current().object("codes")).isEqualTo(codes);
        }
    }

    private static ObjectDef codesHolding(ModelParts parts, String... values) {
        parts.schema.apply(new SchemaChange.CreateObject("codes", "Code", "Codes", null,
                List.of(new FieldSpec("Code", null, FieldKind.TEXT, false, false, null, null, null, null))));
        ObjectDef codes = parts.schema.current().object("codes");
        for (String value : values) {
            Map<String, Object> input = new HashMap<>();
            input.put("code", value);
            parts.entries.create(codes, input);
        }
        return codes;
    }

    private static FieldPatch patch(String apiName, Boolean required, Boolean unique, Object defaultValue) {
        return new FieldPatch(null, apiName, null, required, unique, defaultValue, false, null, null);
    }
}
