package dev.storefront.crm.shopify;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.sync.EntryRef;
import dev.storefront.crm.api.sync.SyncRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An order's items are the lines it holds now: an item of a stored order that the order's latest
 * payload (a webhook's, or a page's order read whole by {@link AdminSync}) no longer lists (a line an
 * order edit removed, or took to quantity 0) is stale, deleted by the webhooks and by the paged sync
 * alike in the transaction that writes the order; a bulk operation's file has the host delete them
 * set-based over the staged file ({@code JsonLines.Part#replaces}). Items made in the CRM (without a
 * Shopify key) are never stale.
 */
final class OrderLines {

    /** Items read at once per order, at most: Shopify caps an order at far fewer lines. */
    private static final int MOST_PER_ORDER = 1_000;

    private OrderLines() {
    }

    /**
     * The stored items (id, shopify_key) of the orders {@code records} write that their records no longer hold:
     * each order record's items are the order item records pointing at it by key.
     */
    static List<Map<String, Object>> stale(CrmContext crm, List<SyncRecord> records) {
        Map<Object, Set<Object>> linesByOrder = new HashMap<>();
        for (SyncRecord record : records) {
            if (record.object().equals("orders")) {
                linesByOrder.computeIfAbsent(record.values().get("shopify_key"), order -> new HashSet<>());
            } else if (record.object().equals("order_items") && record.values().get("order") instanceof EntryRef order) {
                linesByOrder.computeIfAbsent(order.value(), key -> new HashSet<>()).add(record.values().get("shopify_key"));
            }
        }
        if (linesByOrder.isEmpty()) {
            return List.of();
        }
        Map<Long, Set<Object>> linesById = new HashMap<>();
        for (Map<String, Object> order : crm.query("orders", Filter.compare("shopify_key", Operator.IN, List.copyOf(linesByOrder.keySet())),
                List.of(), linesByOrder.size())) {
            linesById.put((Long) order.get("id"), linesByOrder.get(order.get("shopify_key")));
        }
        if (linesById.isEmpty()) {
            return List.of();
        }
        return crm.query("order_items", Filter.compare("order", Operator.IN, List.copyOf(linesById.keySet())), List.of(),
                        linesById.size() * MOST_PER_ORDER).stream()
                .filter(item -> item.get("shopify_key") != null && !linesById.get(item.get("order")).contains(item.get("shopify_key")))
                .toList();
    }
}
