package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void medianAndP95ByNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i;
        }
        Samples samples = Samples.of(values);
        assertThat(samples.median()).isEqualTo(50);
        assertThat(samples.p95()).isEqualTo(95);
        assertThat(Samples.of(7).p95()).isEqualTo(7);
        assertThat(Samples.of().median()).isNaN();
    }

    @Test
    void ratioIsAboveOneWhenTheCrmIsSlowerForTimesAndRates() {
        assertThat(new Row("t", Row.Unit.MS, Samples.of(20), Samples.of(10), "", "").ratio()).isEqualTo(2);
        assertThat(new Row("r", Row.Unit.PER_SECOND, Samples.of(50), Samples.of(100), "", "").ratio()).isEqualTo(2);
    }

    @Test
    void scalesSetSizeAndRepeats() {
        Options quick = Options.parse(new String[0]);
        assertThat(quick.customers()).isEqualTo(100_000);
        assertThat(quick.orders()).isEqualTo(1_000_000);
        Options full = Options.parse(new String[] {"--full", "--runs", "7"});
        assertThat(full.customers()).isEqualTo(1_000_000);
        assertThat(full.orders()).isEqualTo(10_000_000);
        assertThat(full.runs()).isEqualTo(7);
        Options demo = Options.parse(new String[] {"--demo", "--server-arg=--x=1"});
        assertThat(demo.orders()).isEqualTo(10_000);
        assertThat(demo.serverArgs()).containsExactly("--x=1");
        assertThat(demo.generatedDatabase().toString()).contains("2000-customers-10000-orders-seed-42");
    }
}
