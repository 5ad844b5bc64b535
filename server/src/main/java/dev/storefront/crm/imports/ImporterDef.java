package dev.storefront.crm.imports;

import dev.storefront.crm.api.imports.ImportMapping;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An importer clients can call: the generic {@code csv:<object>} ones, or one a plugin provides.
 *
 * @param mapping   null for a generic importer, whose mapping is read from the file's header
 * @param transform    per-row clean-up given by a plugin, or null
 * @param addedColumns columns the transform adds to the file's own
 */
public record ImporterDef(String name, String plugin, String description, String object, ImportMapping mapping,
                          UnaryOperator<Map<String, String>> transform, java.util.List<String> addedColumns) {

    public ImporterDef {
        addedColumns = addedColumns == null ? java.util.List.of() : java.util.List.copyOf(addedColumns);
    }
}
