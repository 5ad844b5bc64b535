package dev.storefront.crm.clv;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One fit of the store's models as of a date. Only a {@link Status#FITTED} model has parameters and
 * gives scores; the other statuses say why there are none.
 */
record ClvModel(Status status, String message, BgNbd frequency, GammaGamma spend, double logLikelihood,
                double spendLogLikelihood, long customers, long repeatBuyers, LocalDate asOf, OffsetDateTime fittedAt) {

    enum Status {
        FITTED("Fitted"), TOO_LITTLE_DATA("Too Little Data"), NOT_CONVERGED("Not Converged");

        /** The option label of the status field of {@code clv_fits}. */
        final String label;

        Status(String label) {
            this.label = label;
        }

        static Status ofLabel(String label) {
            for (Status status : values()) {
                if (status.label.equals(label)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("Unknown CLV fit status " + label);
        }
    }

    boolean converged() {
        return status == Status.FITTED;
    }
}
