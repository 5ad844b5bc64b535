package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code wooCommerceSyncStatus} (with what the repair of refunds stored twice did, {@link RefundRepair}) and
 * {@code wooCommerceCheckConnection}, present while the plugin is started.
 */
@Extension
public class WooGraphQl implements GraphQlContribution {

    @Override
    public String sdl() {
        return """
                "Where the WooCommerce REST sync stands"
                type WooCommerceSyncStatus {
                  configured: Boolean!
                  storeUrl: String
                  "customers, orders, or done when the last run finished"
                  stream: String
                  "Orders changed after this (GMT) are fetched by the running run, or when done by the next one"
                  modifiedAfter: String
                  syncedCustomers: Long!
                  syncedOrders: Long!
                  "Null until the repair first ran"
                  refundRepair: WooCommerceRefundRepair
                }
                "The repair of refunds that earlier versions stored twice (each refund, and beside them the order's refunded total): it runs when the plugin starts, then daily"
                type WooCommerceRefundRepair {
                  "When it last ran (UTC)"
                  lastRunAt: String!
                  "Refunded totals that run merged into the refunds stored one by one: one per order repaired"
                  lastRunMerged: Long!
                  "First refunds that run gave their order's key"
                  lastRunKeyed: Long!
                  "When a run last repaired anything (UTC); null if none ever did"
                  repairedAt: String
                  "Refunded totals merged by that run"
                  merged: Long!
                  "First refunds given their order's key by that run"
                  keyed: Long!
                }
                type WooCommerceConnection { ok: Boolean! customers: Long message: String }
                extend type Query { wooCommerceSyncStatus: WooCommerceSyncStatus! }
                extend type Mutation { wooCommerceCheckConnection: WooCommerceConnection! }
                """;
    }

    @Override
    public Map<String, GraphQlResolver> resolvers() {
        return Map.of("Query.wooCommerceSyncStatus", WooGraphQl::status,
                "Mutation.wooCommerceCheckConnection", (args, context) -> check(context));
    }

    private static Object status(Map<String, Object> args, PluginContext context) throws IOException {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("configured", context.config("url").isPresent() && context.config("consumer-key").isPresent());
        status.put("storeUrl", context.config("url").orElse(null));
        List<Map<String, Object>> rows = context.crm().sql(
                "SELECT cursor FROM crm_sync_state WHERE source = ?", context.pluginId() + ":rest-sync");
        if (!rows.isEmpty()) {
            RestSync.Cursor cursor = new RestSync().cursorFormat().read((String) rows.get(0).get("cursor"));
            status.put("stream", cursor.stream());
            status.put("modifiedAfter", cursor.since());
        }
        status.put("syncedCustomers", count(context, "customers"));
        status.put("syncedOrders", count(context, "orders"));
        status.put("refundRepair", RefundRepair.status(context));
        return status;
    }

    private static int count(PluginContext context, String table) {
        // Plain read-only SQL over the typed tables; the table name is ours, not input.
        Object count = context.crm().sql("SELECT count(*) AS n FROM " + table + " WHERE woocommerce_id IS NOT NULL").get(0).get("n");
        return ((Number) count).intValue();
    }

    private static Object check(PluginContext context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            WooClient.Page page = new WooClient(context).get("customers", Map.of("per_page", "1"));
            answer.put("ok", true);
            // Unknown (null) when the store's host stripped X-WP-Total.
            answer.put("customers", page.total() >= 0 ? page.total() : null);
        } catch (Exception e) {
            answer.put("ok", false);
            answer.put("message", e.getMessage());
        }
        return answer;
    }
}
