package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.jobs.BackgroundTask;
import java.time.Duration;
import java.util.List;
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
 * only the total finds it and adds none. Logs how many orders it repaired.
 */
@Extension
public class RefundRepair implements BackgroundTask {

    private static final Logger log = LoggerFactory.getLogger(RefundRepair.class);

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
    public void run(PluginContext context) {
        Repaired repaired = repair(context.crm());
        if (repaired.totals() > 0 || repaired.keyed() > 0) {
            log.info("WooCommerce refunds counted twice: repaired {} orders (deleted the refunded total stored beside their refunds,"
                    + " customers' metrics recomputed); {} first refunds given their order's key", repaired.totals(), repaired.keyed());
        }
    }

    static Repaired repair(CrmContext crm) {
        return crm.inTransaction(tx -> {
            List<Long> totals = tx.sql(TOTALS_BESIDE_REFUNDS).stream().map(row -> ((Number) row.get("id")).longValue()).toList();
            tx.deleteAll("returns", totals);
            return new Repaired(totals.size(), tx.updateFromQuery("returns", List.of("woocommerce_refunded_order"), FIRST_REFUNDS_WITHOUT_KEY));
        });
    }
}
