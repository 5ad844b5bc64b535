package dev.storefront.crm.woocommerce;

import java.util.Locale;
import java.util.Map;

/**
 * WooCommerce order statuses as the CRM's order statuses; the raw status is kept in woocommerce_status.
 * A store's own status (added by a plugin such as Order Status Manager: {@code awaiting-shipment},
 * {@code wc-awaiting-shipment}) is an order still under way: Pending, counted like WooCommerce's
 * processing and on-hold, rather than refused with its items. An empty status is left empty (a new
 * order then takes the field's default, Pending).
 */
final class WooStatus {

    private static final Map<String, String> CRM = Map.of(
            "pending", "Pending",
            "processing", "Pending",
            "on-hold", "Pending",
            "checkout-draft", "Pending",
            "completed", "Fulfilled",
            "cancelled", "Cancelled",
            "failed", "Cancelled",
            "refunded", "Refunded");
    private static final String STORES_OWN = "Pending";

    private WooStatus() {
    }

    /**
     * The same translation as an import mapping source over {@code column}: {@code pick(status,
     * 'pending' = 'Pending', 'wc-pending' = 'Pending', ...) | if(status, 'Pending')}.
     */
    static String mapping(String column) {
        StringBuilder source = new StringBuilder("pick(").append(column);
        CRM.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(status -> {
            for (String key : new String[] {status.getKey(), "wc-" + status.getKey()}) {
                source.append(", '").append(key).append("' = '").append(status.getValue()).append('\'');
            }
        });
        return source.append(") | if(").append(column).append(", '").append(STORES_OWN).append("')").toString();
    }

    /** The CRM status of a WooCommerce status; null for none. */
    static String toCrm(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        String key = status.strip().toLowerCase(Locale.ROOT);
        if (key.startsWith("wc-")) {
            key = key.substring(3);
        }
        return CRM.getOrDefault(key, STORES_OWN);
    }
}
