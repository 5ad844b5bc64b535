package dev.storefront.crm.clv;

/**
 * The BG/NBD sufficient statistics of a store, one row per distinct (x, t_x, T) with the number of
 * customers sharing it: x repeat purchase days, t_x and T in weeks. The fit reads only these rows, so
 * its cost grows with the number of distinct histories, not with the number of orders.
 */
record FrequencyStats(int[] x, double[] tx, double[] t, long[] count) {

    int rows() {
        return x.length;
    }

    long customers() {
        long sum = 0;
        for (long n : count) {
            sum += n;
        }
        return sum;
    }

    long repeatBuyers() {
        long sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] > 0 ? count[i] : 0;
        }
        return sum;
    }

}
