package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.jobs.BackgroundTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs the refunds that versions before the seventeenth session stored twice: an order CSV export without refund ids
 * wrote the order's refunded total as one return (keyed by the order in woocommerce_refunded_order, no refund id), the
 * REST sync, the webhook or an export's {@code refunds} cell wrote its refunds one by one (keyed by refund id, none
 * holding the order's key), and whichever came second did not see the other: the customer's metrics netted the refunds
 * twice, and today's sync, giving the order's first refund the order's key, is refused by the total holding it. Run when
 * the plugin starts (and daily, finding nothing: the current code makes no such pair), in one transaction: the total of
 * every order that also has refunds with ids is deleted, which recomputes its customer's metrics, then every order's
 * first refund (lowest id) that lacks it takes the order's key, as the current code gives it, so that a later export with
 * only the total finds it and adds none. What the last run did, and the last run that repaired anything, are kept in the
 * plugin's data folder ({@value #RECORD}, written once the repair committed), which {@code wooCommerceSyncStatus.refundRepair}
 * shows a store owner; the server log says it too.
 */
@Extension
public class RefundRepair implements BackgroundTask {

    private static final Logger log = LoggerFactory.getLogger(RefundRepair.class);
    static final String RECORD = "refund-repair.json";

    /** The refunded-total returns of orders whose refunds are also stored one by one. */
    private static final String TOTALS_BESIDE_REFUNDS = """
            SELECT t.id FROM returns AS t
            WHERE t.woocommerce_id IS NULL AND t.woocommerce_refunded_order IS NOT NULL
              AND EXISTS (SELECT 1 FROM returns AS r WHERE r.order_id = t.order_id AND r.woocommerce_id IS NOT NULL)""";

    /** Each order's first refund without the order's key, where no return holds that key. */
    private static final String FIRST_REFUNDS_WITHOUT_KEY = """
            SELECT r.id, o.woocommerce_id AS woocommerce_refunded_order
            FROM returns AS r JOIN orders AS o ON o.id = r.order_id
            WHERE r.woocommerce_refunded_order IS NULL AND o.woocommerce_id IS NOT NULL
              AND r.woocommerce_id = (SELECT min(f.woocommerce_id) FROM returns AS f WHERE f.order_id = r.order_id)
              AND NOT EXISTS (SELECT 1 FROM returns AS k WHERE k.woocommerce_refunded_order = o.woocommerce_id)""";

    /** What one repair did: refunded totals deleted (one per order repaired), first refunds given their order's key. */
    record Repaired(int totals, long keyed) {

        boolean any() {
            return totals > 0 || keyed > 0;
        }
    }

    @Override
    public String name() {
        return "repair-refunds-counted-twice";
    }

    @Override
    public Duration interval(PluginContext context) {
        return Duration.ofDays(1);
    }

    @Override
    public void run(PluginContext context) throws IOException {
        Repaired repaired = repair(context.crm());
        if (repaired.any()) {
            log.info("WooCommerce refunds counted twice: repaired {} orders (deleted the refunded total stored beside their refunds,"
                    + " customers' metrics recomputed); {} first refunds given their order's key", repaired.totals(), repaired.keyed());
        }
        record(context, repaired, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Keeps in {@value #RECORD} when this run was and what it did, and the last run that repaired anything (this one, or as
     * kept): a daily run that finds nothing must not hide a repair from the store owner. Written to a new file moved over
     * the old one, so a reader never sees half of it.
     */
    private static void record(PluginContext context, Repaired repaired, OffsetDateTime at) throws IOException {
        Map<String, Object> kept = status(context);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("lastRunAt", at.toString());
        record.put("lastRunMerged", repaired.totals());
        record.put("lastRunKeyed", repaired.keyed());
        // The last run that repaired anything: this one, else the one kept (none yet: null, 0 and 0).
        if (repaired.any() || kept == null) {
            record.put("repairedAt", repaired.any() ? at.toString() : null);
            record.put("merged", repaired.totals());
            record.put("keyed", repaired.keyed());
        } else {
            List.of("repairedAt", "merged", "keyed").forEach(field -> record.put(field, kept.get(field)));
        }
        Path file = context.dataDirectory().resolve(RECORD);
        Path next = context.dataDirectory().resolve(RECORD + ".next");
        Files.writeString(next, context.json().write(record));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What {@link #record} kept: {@code lastRunAt, lastRunMerged, lastRunKeyed, repairedAt, merged, keyed}; null before a first run. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> status(PluginContext context) throws IOException {
        Path file = context.dataDirectory().resolve(RECORD);
        return Files.exists(file) ? (Map<String, Object>) context.json().parse(Files.readString(file)) : null;
    }

    static Repaired repair(CrmContext crm) {
        return crm.inTransaction(tx -> {
            List<Long> totals = tx.sql(TOTALS_BESIDE_REFUNDS).stream().map(row -> ((Number) row.get("id")).longValue()).toList();
            tx.deleteAll("returns", totals);
            return new Repaired(totals.size(), tx.updateFromQuery("returns", List.of("woocommerce_refunded_order"), FIRST_REFUNDS_WITHOUT_KEY));
        });
    }
}
