package dev.storefront.crm.imports;

import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Every importer: one generic CSV importer per object, then those of started plugins. */
public final class ImporterCatalog {

    public static final String GENERIC_PREFIX = "csv:";

    private final SchemaService schema;
    private final List<Supplier<List<ImporterDef>>> sources = new CopyOnWriteArrayList<>();

    public ImporterCatalog(SchemaService schema) {
        this.schema = schema;
    }

    /** Adds a source of importers asked anew on every lookup (plugins come and go). */
    public void addSource(Supplier<List<ImporterDef>> source) {
        sources.add(source);
    }

    public List<ImporterDef> all() {
        List<ImporterDef> all = new ArrayList<>();
        for (ObjectDef object : schema.current().objects()) {
            all.add(new ImporterDef(GENERIC_PREFIX + object.apiName(), null,
                    "CSV of " + object.pluralLabel() + "; the header names fields by label or api name, relations as <field>.<unique field>",
                    object.apiName(), null, List.of()));
        }
        sources.forEach(source -> all.addAll(source.get()));
        return all;
    }

    public ImporterDef get(String name) {
        return all().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("No importer named '" + name + "'", Map.of("importer", name)));
    }
}
