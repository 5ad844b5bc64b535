package dev.storefront.crm.clv;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Fits BG/NBD and Gamma-Gamma by maximum likelihood on a store's statistics, or says why it cannot. */
final class ClvFit {

    /** Below these a fit says more about noise than about customers. */
    static final long MIN_CUSTOMERS = 500;
    static final long MIN_REPEAT_BUYERS = 100;

    private ClvFit() {
    }

    static ClvModel fit(FrequencyStats frequency, SpendStats spend, LocalDate asOf, OffsetDateTime now) {
        long customers = frequency.customers();
        long repeatBuyers = frequency.repeatBuyers();
        if (customers < MIN_CUSTOMERS || repeatBuyers < MIN_REPEAT_BUYERS) {
            String message = "Too little data as of " + asOf + ": " + customers + " customers with orders (at least "
                    + MIN_CUSTOMERS + " needed) and " + repeatBuyers + " who ordered again on a later day (at least "
                    + MIN_REPEAT_BUYERS + " needed)";
            return new ClvModel(ClvModel.Status.TOO_LITTLE_DATA, message, null, null, Double.NaN, Double.NaN,
                    customers, repeatBuyers, asOf, now);
        }
        double meanWeeks = 0;
        for (int i = 0; i < frequency.rows(); i++) {
            meanWeeks += frequency.t()[i] * frequency.count()[i] / customers;
        }
        MaximumLikelihood.Result bg = MaximumLikelihood.maximize(
                theta -> new BgNbd(theta[0], theta[1], theta[2], theta[3]).logLikelihood(frequency),
                List.of(new double[] {1, 1, 1, 1}, new double[] {0.5, Math.max(1, meanWeeks / 2), 0.5, 2}));
        double meanSpend = 0;
        long spenders = 0;
        for (int i = 0; i < spend.rows(); i++) {
            meanSpend += spend.m()[i] * spend.count()[i];
            spenders += spend.count()[i];
        }
        meanSpend = spenders == 0 ? 1 : meanSpend / spenders;
        MaximumLikelihood.Result gg = MaximumLikelihood.maximize(
                theta -> new GammaGamma(theta[0], theta[1], theta[2]).logLikelihood(spend),
                List.of(new double[] {1, 1, 1}, new double[] {2, 3, Math.max(1, meanSpend)}));
        BgNbd bgNbd = new BgNbd(bg.parameters()[0], bg.parameters()[1], bg.parameters()[2], bg.parameters()[3]);
        GammaGamma gammaGamma = new GammaGamma(gg.parameters()[0], gg.parameters()[1], gg.parameters()[2]);
        String problem = !bg.converged() ? "The purchase-frequency model (BG/NBD) did not converge"
                : !gg.converged() ? "The spend model (Gamma-Gamma) did not converge"
                : gammaGamma.q() <= 1 ? "The spend model has no finite mean (q = " + gammaGamma.q() + " is not above 1)"
                : null;
        ClvModel.Status status = problem == null ? ClvModel.Status.FITTED : ClvModel.Status.NOT_CONVERGED;
        return new ClvModel(status, problem, bgNbd, gammaGamma, bg.logLikelihood(), gg.logLikelihood(),
                customers, repeatBuyers, asOf, now);
    }
}
