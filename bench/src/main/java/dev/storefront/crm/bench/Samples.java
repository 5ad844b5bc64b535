package dev.storefront.crm.bench;

import java.util.Arrays;

/** Measured values of one side of one row (milliseconds, or a rate), with median and p95 by nearest rank. */
record Samples(double[] values) {

    static Samples of(double... values) {
        return new Samples(values.clone());
    }

    double median() {
        return rank(0.50);
    }

    double p95() {
        return rank(0.95);
    }

    int count() {
        return values.length;
    }

    private double rank(double quantile) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
