package dev.storefront.crm.api.imports;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * A named CSV import: a default mapping onto one object. The host does the work (streaming the
 * upload to disk, DuckDB's CSV reader, validation, bulk writes, the bad-row report, the job), so
 * every importer has the same speed and the same report. Clients may replace the mapping per call.
 */
public interface CsvImporter extends ExtensionPoint {

    /** Unique within the plugin; clients call it as {@code <pluginId>:<name>}. */
    String name();

    String description();

    ImportMapping defaultMapping();

    /**
     * Optional per-row clean-up before the mapping runs, column name → cell text (never null, empty
     * for a missing cell). The host calls it only when an importer overrides it.
     */
    default Map<String, String> transformRow(Map<String, String> row) {
        return row;
    }

    /** Columns that {@link #transformRow} adds to every row, so the mapping may name them. */
    default java.util.List<String> addedColumns() {
        return java.util.List.of();
    }
}
