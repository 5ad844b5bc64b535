package dev.storefront.crm.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums of per-day rows rolled up into calendar buckets, every bucket of the period present (a
 * month with no orders is a zero, not a gap).
 */
final class Buckets {

    private final Granularity granularity;
    private final Map<LocalDate, BigDecimal[]> sums = new LinkedHashMap<>();
    private final int measures;

    Buckets(Granularity granularity, Period period, int measures) {
        this.granularity = granularity;
        this.measures = measures;
        for (LocalDate start : granularity.buckets(period)) {
            BigDecimal[] zero = new BigDecimal[measures];
            java.util.Arrays.fill(zero, BigDecimal.ZERO);
            sums.put(start, zero);
        }
    }

    /** Adds a day's values; days outside the period are ignored. */
    void add(LocalDate day, int measure, Object value) {
        BigDecimal[] bucket = sums.get(granularity.start(day));
        if (bucket != null && value != null) {
            bucket[measure] = bucket[measure].add(new BigDecimal(value.toString()));
        }
    }

    List<String> labels() {
        return sums.keySet().stream().map(granularity::label).toList();
    }

    /** The sums of one measure, bucket by bucket. */
    List<BigDecimal> measure(int measure) {
        if (measure >= measures) {
            throw new IllegalArgumentException("no measure " + measure);
        }
        return sums.values().stream().map(v -> v[measure]).toList();
    }
}
