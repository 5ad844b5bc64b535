package dev.storefront.crm.imports;

import dev.storefront.crm.api.imports.ImportMapping;

/**
 * An importer clients can call: the generic {@code csv:<object>} ones, or one a plugin provides.
 *
 * @param mapping null for a generic importer, whose mapping is read from the file's header
 */
public record ImporterDef(String name, String plugin, String description, String object, ImportMapping mapping) {
}
