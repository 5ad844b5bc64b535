package dev.storefront.crm.api.imports;

import dev.storefront.crm.api.PluginContext;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A named CSV import: a default mapping onto one object. The host does the work (streaming the
 * upload to disk, reading every real-world CSV form, converting and checking in SQL, bulk writes, the
 * bad-row report, the job), so every importer has the same speed and the same report. Clean-up of
 * values is part of the mapping ({@code nullif}, {@code map}, {@code concat}, {@code money}; see
 * {@link ImportMapping}), which the host runs for a whole chunk at once. Clients may replace the
 * mapping per call.
 */
public interface CsvImporter extends ExtensionPoint {

    /** Unique within the plugin; clients call it as {@code <pluginId>:<name>}. */
    String name();

    String description();

    ImportMapping defaultMapping();

    /**
     * Further objects each file writes from the same rows, in order after {@link #defaultMapping()}
     * and in the same transaction per chunk, so one checkpoint covers them all: an order export writes
     * the orders, then their line items linked to them. Clients replace only the default mapping. A
     * further mapping none of whose targets' columns the file has is left out for that file.
     */
    default List<ImportMapping> moreMappings() {
        return List.of();
    }

    /**
     * This importer as the plugin's settings shape it; the host asks for it before it reads the
     * name, description and mappings. An importer whose keys carry a configured value (the store a
     * file comes from) returns a copy that knows it; by default the importer itself.
     */
    default CsvImporter configured(PluginContext context) {
        return this;
    }
}
