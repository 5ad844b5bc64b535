package dev.storefront.crm.clv;

import java.util.Arrays;
import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

/**
 * The BG/NBD model (Fader, Hardie and Lee, "Counting Your Customers the Easy Way", 2005): while
 * alive a customer buys at a Poisson rate drawn from Gamma(r, alpha), and after each repeat
 * purchase drops out with a probability drawn from Beta(a, b). Time is in weeks.
 */
record BgNbd(double r, double alpha, double a, double b) {

    /** The log-likelihood of the whole store (FHL 2005, eq. 6), summed over the distinct histories. */
    double logLikelihood(FrequencyStats stats) {
        int maxX = Arrays.stream(stats.x()).max().orElse(0);
        double constant = -Gamma.logGamma(r) + r * FastMath.log(alpha) + Gamma.logGamma(a + b) - Gamma.logGamma(b);
        double[] byX = new double[maxX + 1];
        double[] dropout = new double[maxX + 1];
        for (int x = 0; x <= maxX; x++) {
            byX[x] = constant + Gamma.logGamma(r + x) + Gamma.logGamma(b + x) - Gamma.logGamma(a + b + x);
            dropout[x] = x == 0 ? 0 : FastMath.log(a) - FastMath.log(b + x - 1);
        }
        double sum = 0;
        for (int i = 0; i < stats.rows(); i++) {
            int x = stats.x()[i];
            double stillAlive = -(r + x) * FastMath.log(alpha + stats.t()[i]);
            double inner = stillAlive;
            if (x > 0) {
                double droppedOut = dropout[x] - (r + x) * FastMath.log(alpha + stats.tx()[i]);
                double max = FastMath.max(stillAlive, droppedOut);
                inner = max + FastMath.log(FastMath.exp(stillAlive - max) + FastMath.exp(droppedOut - max));
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
        return 1 / (1 + a / (b + x - 1) * FastMath.exp((r + x) * FastMath.log((alpha + t) / (alpha + tx))));
    }

    /** E[Y(horizon) | x, t_x, T]: expected repeat purchases in the next {@code horizon} weeks (FHL 2005, eq. 10). */
    double expectedPurchases(double horizon, int x, double tx, double t) {
        return (a + b + x - 1) / (a - 1) * (1 - survivalTerm(horizon, x, t)) * probabilityAlive(x, tx, t);
    }

    /**
     * ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x; a+b+x-1; z), z = h/(alpha+T+h), the part of eq. 10
     * that needs 2F1. Written through Euler's transformation as
     * (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): the same number without the huge factors that
     * cancel when x is large (2F1 itself grows like (1-z)^-(r+x)).
     */
    double survivalTerm(double horizon, int x, double t) {
        double z = horizon / (alpha + t + horizon);
        return FastMath.pow(1 - z, a - 1) * Hypergeometric.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
    }
}
