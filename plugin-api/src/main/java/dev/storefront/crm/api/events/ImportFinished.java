package dev.storefront.crm.api.events;

/**
 * A CSV import ended: all its rows ({@code SUCCEEDED}), or the chunks committed before a cancel ({@code CANCELLED}) or a
 * failure ({@code FAILED}), as its job's state says. The counts are over the committed chunks of the
 * whole job, a resumed one included: entries {@code created}, {@code updated} (values changed),
 * {@code unchanged} (matched an entry that already held the same values, so not written) and rows
 * {@code failed} (refused and listed in the job's error report).
 *
 * @param job      the job id, as {@code job(id:)} takes it
 * @param importer e.g. {@code csv:orders} or {@code woocommerce:orders-csv}
 */
public record ImportFinished(String object, String job, String importer, Outcome outcome,
                             long created, long updated, long unchanged, long failed) {

    /** How an import ended. */
    public enum Outcome {
        SUCCEEDED, CANCELLED, FAILED
    }

    /** Whether the import was cancelled: what plugins read before the event gave its outcome. */
    public boolean cancelled() {
        return outcome == Outcome.CANCELLED;
    }
}
