package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.util.List;

/**
 * The customers' stored metrics (Total Orders, Lifetime Value, First Purchase Date of
 * {@code schema/customers.yaml}: one definition, kept by the engine in the transaction of every write
 * to orders and returns). Widgets read them for all-time figures (a customer's first month, their
 * orders and lifetime value before the period's end) instead of every order ever placed, and correct
 * them by the few orders and refunds after the period. They answer when the period is in the store's
 * time zone (the purchase dates are days there), the filter has no shops (a shop's figures count only
 * its own orders) and the model has the fields; otherwise widgets compute from the orders.
 */
final class StoredMetrics {

    static final List<String> FIELDS = List.of("total_orders", "lifetime_value", "first_purchase_date");

    private StoredMetrics() {
    }

    static boolean answer(Args args, CrmContext crm) {
        return args.filter().shops().isEmpty() && args.period().zone().getRules().equals(args.storeZone().getRules())
                && crm.fields("customers").keySet().containsAll(FIELDS);
    }
}
