package dev.storefront.crm.imports;

import dev.storefront.crm.api.imports.ImportMapping;
import java.util.List;

/**
 * An importer clients can call: the generic {@code csv:<object>} ones, or one a plugin provides.
 *
 * @param mapping null for a generic importer, whose mapping is read from the file's header
 * @param more    further objects written from the same rows after {@code mapping} ({@link
 *                dev.storefront.crm.api.imports.CsvImporter#moreMappings()})
 */
public record ImporterDef(String name, String plugin, String description, String object, ImportMapping mapping, List<ImportMapping> more) {

    public ImporterDef {
        more = List.copyOf(more);
    }
}
