package dev.storefront.crm.woocommerce;

import java.util.Map;

/** WooCommerce order statuses as the CRM's order statuses; the raw status is kept in woocommerce_status. */
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

    private WooStatus() {
    }

    /**
     * The same translation as an import mapping source over {@code column}: {@code map(status,
     * 'pending' = 'Pending', 'wc-pending' = 'Pending', ...)}.
     */
    static String mapping(String column) {
        StringBuilder source = new StringBuilder("map(").append(column);
        CRM.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(status -> {
            for (String key : new String[] {status.getKey(), "wc-" + status.getKey()}) {
                source.append(", '").append(key).append("' = '").append(status.getValue()).append('\'');
            }
        });
        return source.append(')').toString();
    }

    /** The CRM status, or the WooCommerce text unchanged when unknown (the CRM then refuses it by name). */
    static String toCrm(String status) {
        if (status == null) {
            return null;
        }
        String key = status.strip().toLowerCase(java.util.Locale.ROOT);
        if (key.startsWith("wc-")) {
            key = key.substring(3);
        }
        return CRM.getOrDefault(key, status);
    }
}
