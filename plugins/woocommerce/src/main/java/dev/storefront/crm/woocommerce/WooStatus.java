package dev.storefront.crm.woocommerce;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * WooCommerce order statuses as the CRM's order statuses; the raw status is kept in woocommerce_status.
 * A store's own status (added by a plugin such as Order Status Manager: {@code awaiting-shipment},
 * {@code wc-awaiting-shipment}) is an order still under way: Pending (but {@code shipped} and {@code delivered}, which
 * shipment-tracking plugins add, are the CRM's Shipped and Delivered), counted like WooCommerce's
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
            "refunded", "Refunded",
            // Not WooCommerce's own: the slugs shipment-tracking plugins add (Advanced Shipment Tracking's delivered).
            "shipped", "Shipped",
            "delivered", "Delivered");
    private static final String STORES_OWN = "Pending";
    /**
     * Orders that are no orders yet: {@code checkout-draft}, which the block checkout creates as soon as a shopper opens the
     * checkout page, and WordPress's {@code auto-draft}. The REST listing includes them (checkout drafts since 2020, auto drafts
     * under HPOS), the store's admin hides them; most are never paid and WooCommerce deletes them after a day.
     */
    private static final Set<String> DRAFTS = Set.of("checkout-draft", "auto-draft");
    /**
     * The labels WooCommerce shows for its statuses ({@code wc_get_order_statuses()}), which exports for people write
     * instead of slugs. Unlike a slug, a label may be translated, so one that is none of these cannot be told from a
     * core status in another language ("Storniert" is cancelled): it is not guessed to be a store's own status.
     */
    private static final Map<String, String> LABELS = Map.of(
            "Pending payment", "pending",
            "Processing", "processing",
            "On hold", "on-hold",
            "Draft", "checkout-draft",
            "Completed", "completed",
            "Cancelled", "cancelled",
            "Failed", "failed",
            "Refunded", "refunded");

    private WooStatus() {
    }

    /**
     * The same translation as an import mapping source over {@code column}: {@code pick(status,
     * 'pending' = 'Pending', 'wc-pending' = 'Pending', ...) | if(status, 'Pending')}.
     */
    static String mapping(String column) {
        StringBuilder source = new StringBuilder("pick(").append(column);
        appendSlugs(source);
        return source.append(") | if(").append(column).append(", '").append(STORES_OWN).append("')").toString();
    }

    /**
     * The same for a column holding status labels ({@code Pending payment}, {@code On hold}, ignoring case) or slugs:
     * {@code map(status, 'pending payment' = 'Pending', ..., 'wc-pending' = 'Pending', ...)}. Any other text passes
     * unchanged to the order's Status, an enum, whose check refuses it naming the column and the value, unless it is
     * one of the CRM's statuses ({@code Shipped}) already.
     */
    static String labelMapping(String column) {
        StringBuilder source = new StringBuilder("map(").append(column);
        LABELS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(label -> source.append(", '").append(label.getKey()).append("' = '").append(CRM.get(label.getValue())).append('\''));
        appendSlugs(source);
        return source.append(')').toString();
    }

    /** {@code , 'cancelled' = 'Cancelled', 'wc-cancelled' = 'Cancelled', ...}: every slug, with and without its prefix. */
    private static void appendSlugs(StringBuilder source) {
        CRM.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(status -> {
            for (String key : new String[] {status.getKey(), "wc-" + status.getKey()}) {
                source.append(", '").append(key).append("' = '").append(status.getValue()).append('\'');
            }
        });
    }

    /** The CRM status of a WooCommerce status; null for none. */
    static String toCrm(String status) {
        return status == null || status.isBlank() ? null : CRM.getOrDefault(slug(status), STORES_OWN);
    }

    /** Whether an order of this status is a draft the store does not show as an order ({@link #DRAFTS}). */
    static boolean isDraft(String status) {
        return status != null && DRAFTS.contains(slug(status));
    }

    /** The status without case, spaces or the {@code wc-} prefix. */
    private static String slug(String status) {
        String key = status.strip().toLowerCase(Locale.ROOT);
        return key.startsWith("wc-") ? key.substring(3) : key;
    }
}
