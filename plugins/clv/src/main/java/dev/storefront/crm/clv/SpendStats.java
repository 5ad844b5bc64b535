package dev.storefront.crm.clv;

/**
 * The Gamma-Gamma data of a store: one row per distinct (x, m) of the repeat buyers, x repeat
 * purchase days and m the mean value of those days, with the number of customers sharing it, and
 * ln m, which every evaluation of the likelihood needs.
 */
record SpendStats(int[] x, double[] m, double[] logM, long[] count) {

    static SpendStats of(int[] x, double[] m, long[] count) {
        double[] logM = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            logM[i] = Math.log(m[i]);
        }
        return new SpendStats(x, m, logM, count);
    }

    int rows() {
        return x.length;
    }
}
