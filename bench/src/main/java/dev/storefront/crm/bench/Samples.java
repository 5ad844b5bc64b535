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

    /** Runs {@code work} {@code warmup} times unmeasured, then {@code runs} times measured, in milliseconds. */
    static Samples time(int warmup, int runs, Work work) throws Exception {
        for (int i = 0; i < warmup; i++) {
            work.run(-1 - i);
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            work.run(i);
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        return new Samples(millis);
    }

    /** One run of a workload; {@code run} is negative during warm-up. */
    @FunctionalInterface
    interface Work {
        void run(int run) throws Exception;
    }
}
