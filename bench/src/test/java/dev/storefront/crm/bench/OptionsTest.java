package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void hugeIsTenMillionCustomersAndAHundredMillionOrdersWithFewerRunsOfTheWholeTableRows() {
        Options huge = Options.parse(new String[] {"--huge", "--data", "d"});

        assertThat(huge.scale()).isEqualTo("huge");
        assertThat(huge.customers()).isEqualTo(10_000_000);
        assertThat(huge.orders()).isEqualTo(100_000_000L);
        assertThat(huge.runs()).isEqualTo(5);
        assertThat(huge.exportRuns()).isEqualTo(1);
        assertThat(huge.importRows()).isEqualTo(1_000_000);
        assertThat(huge.consumesStore()).isTrue();
        assertThat(huge.generatedDatabase()).isEqualTo(Path.of("d/10000000-customers-100000000-orders-seed-42/crm.duckdb"));
    }

    @Test
    void theOtherScalesKeepTheirGeneratedStore() {
        Options full = Options.parse(new String[] {"--full"});

        assertThat(full.customers()).isEqualTo(1_000_000);
        assertThat(full.orders()).isEqualTo(10_000_000L);
        assertThat(full.runs()).isEqualTo(20);
        assertThat(full.exportRuns()).isEqualTo(2);
        assertThat(full.consumesStore()).isFalse();
        assertThat(Options.parse(new String[0]).consumesStore()).isFalse();
    }
}
