package dev.storefront.crm.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.imports.ImportMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client's mapping given with an import ({@code mapping=...}) over the importer's own: which of the importer's ways of
 * reading rows it keeps. No importer of the bundled plugins has {@code keepStored} on its first mapping today (the
 * guest customers' mapping, which has it, is a further one), so this is checked on the merge itself.
 */
class CsvImportMappingTest {

    private static final ImportMapping GUESTS = new ImportMapping("customers", List.of("email"), Map.of("email", "billing_email", "phone",
            "billing_phone | ''"), "billing_email", null, true, true);

    @Test
    void clientColumnsForTheSameObjectKeepHowTheImporterReadsRows() {
        ImportMapping merged = CsvImport.overridden(GUESTS, new ImportMapping(null, List.of(), Map.of("email", "mail", "phone", "tel")),
                "customers");
        assertThat(merged).isEqualTo(new ImportMapping("customers", List.of("email"), Map.of("email", "mail", "phone", "tel"),
                "billing_email", null, true, true));
    }

    @Test
    void clientColumnsForAnotherObjectKeepNoneOfIt() {
        ImportMapping merged = CsvImport.overridden(GUESTS, new ImportMapping("products", List.of("sku"), Map.of("sku", "sku")), "customers");
        assertThat(merged).isEqualTo(new ImportMapping("products", List.of("sku"), Map.of("sku", "sku")));
    }

    @Test
    void clientKeysAloneChangeOnlyTheKeys() {
        ImportMapping merged = CsvImport.overridden(GUESTS, new ImportMapping(null, List.of("phone"), Map.of()), "customers");
        assertThat(merged).isEqualTo(new ImportMapping("customers", List.of("phone"), GUESTS.columns(), "billing_email", null, true, true));
        assertThat(CsvImport.overridden(null, new ImportMapping(null, List.of("phone"), Map.of()), "customers")).isNull();
    }
}
