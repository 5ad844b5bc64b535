package dev.storefront.crm.clv;

import java.util.Arrays;
import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee, "RFM and CLV", 2005): each
 * customer's purchase values are Gamma(p, nu) around their own mean, nu being Gamma(q, v) across
 * customers. Fitted on repeat buyers only, with m the mean value of their repeat purchase days.
 */
record GammaGamma(double p, double q, double v) {

    double logLikelihood(SpendStats stats) {
        int maxX = Arrays.stream(stats.x()).max().orElse(0);
        double constant = -Gamma.logGamma(q) + q * FastMath.log(v);
        double[] byX = new double[maxX + 1];
        for (int x = 1; x <= maxX; x++) {
            byX[x] = constant + Gamma.logGamma(p * x + q) - Gamma.logGamma(p * x) + p * x * FastMath.log(x);
        }
        double sum = 0;
        for (int i = 0; i < stats.rows(); i++) {
            int x = stats.x()[i];
            double m = stats.m()[i];
            sum += stats.count()[i] * (byX[x] + (p * x - 1) * FastMath.log(m) - (p * x + q) * FastMath.log(x * m + v));
        }
        return sum;
    }

    /**
     * E[M | x, m]: the expected value of a customer's future orders, a weighted mean of the store's
     * mean p v / (q - 1) and the customer's own mean m (weight p x / (p x + q - 1)).
     */
    double expectedValue(int x, double m) {
        return p * (v + x * m) / (p * x + q - 1);
    }
}
