package dev.storefront.crm.clv;

/**
 * The Gamma-Gamma data of a store: one row per distinct (x, m) of the repeat buyers, x repeat
 * purchase days and m the mean value of those days, with the number of customers sharing it.
 */
record SpendStats(int[] x, double[] m, long[] count) {

    int rows() {
        return x.length;
    }
}
