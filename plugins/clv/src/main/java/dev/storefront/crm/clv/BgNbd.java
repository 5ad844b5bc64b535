package dev.storefront.crm.clv;

import java.util.Arrays;
import org.hipparchus.special.Gamma;

/**
 * The BG/NBD model (Fader, Hardie and Lee, "Counting Your Customers the Easy Way", 2005): while
 * alive a customer buys at a Poisson rate drawn from Gamma(r, alpha), and after each repeat
 * purchase drops out with a probability drawn from Beta(a, b). Time is in weeks.
 */
record BgNbd(double r, double alpha, double a, double b) {

    /** The log-likelihood of the whole store (FHL 2005, eq. 6), summed over the distinct histories. */
    double logLikelihood(FrequencyStats stats) {
        int maxX = Arrays.stream(stats.x()).max().orElse(0);
        double constant = -Gamma.logGamma(r) + r * Math.log(alpha) + Gamma.logGamma(a + b) - Gamma.logGamma(b);
        double[] byX = new double[maxX + 1];
        double[] dropout = new double[maxX + 1];
        for (int x = 0; x <= maxX; x++) {
            byX[x] = constant + Gamma.logGamma(r + x) + Gamma.logGamma(b + x) - Gamma.logGamma(a + b + x);
            dropout[x] = x == 0 ? 0 : Math.log(a) - Math.log(b + x - 1);
        }
        // ln(alpha + t) for every whole number of days: a table lookup per row instead of two logarithms.
        double[] logSpan = new double[stats.maxDays() + 1];
        for (int days = 0; days < logSpan.length; days++) {
            logSpan[days] = Math.log(alpha + days / FrequencyStats.DAYS_PER_WEEK);
        }
        double sum = 0;
        for (int i = 0; i < stats.rows(); i++) {
            int x = stats.x()[i];
            double stillAlive = -(r + x) * logSpan[stats.tDays()[i]];
            double inner = stillAlive;
            if (x > 0) {
                double droppedOut = dropout[x] - (r + x) * logSpan[stats.txDays()[i]];
                // ln(e^s + e^d) without overflow: the larger plus ln(1 + e^-(difference)).
                inner = Math.max(stillAlive, droppedOut) + Math.log1p(Math.exp(-Math.abs(stillAlive - droppedOut)));
            }
            sum += stats.count()[i] * (byX[x] + inner);
        }
        return sum;
    }

    /** P(alive | x, t_x, T) (FHL 2005, eq. 11); 1 for a customer without repeat purchases. */
    double probabilityAlive(int x, double tx, double t) {
        if (x == 0) {
            return 1;
        }
        return 1 / (1 + a / (b + x - 1) * Math.exp((r + x) * Math.log((alpha + t) / (alpha + tx))));
    }

    /** E[Y(horizon) | x, t_x, T]: expected repeat purchases in the next {@code horizon} weeks (FHL 2005, eq. 10). */
    double expectedPurchases(double horizon, int x, double tx, double t) {
        return (a + b + x - 1) / (a - 1) * (1 - survivalTerm(horizon, x, t)) * probabilityAlive(x, tx, t);
    }

    /**
     * ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x; a+b+x-1; z), z = h/(alpha+T+h), the part of eq. 10
     * that needs 2F1: (1-z)^(r+x) 2F1(...), which stays between 0 and 1 while 2F1 alone overflows
     * when x or a is large.
     */
    double survivalTerm(double horizon, int x, double t) {
        double z = horizon / (alpha + t + horizon);
        return Hypergeometric.scaled(r + x, b + x, a + b + x - 1, z, r + x);
    }
}
