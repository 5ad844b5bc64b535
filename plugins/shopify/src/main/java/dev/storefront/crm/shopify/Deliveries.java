package dev.storefront.crm.shopify;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Sort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code shopify_webhooks} log. A delivery is stored first, in a transaction of the deliveries
 * received with it ({@link DeliveryWriter}), unless one with the same {@code X-Shopify-Webhook-Id},
 * or the same topic and {@code X-Shopify-Event-Id}, is stored already (Shopify delivers at least
 * once); then applied by the {@link Applier}'s thread in a
 * second transaction that also marks it Applied or Ignored, so a crash in between leaves it Received
 * for the next pass. A delivery is applied only while it is Received, so only once.
 */
final class Deliveries {

    static final String OBJECT = "shopify_webhooks";
    /** Deliveries read at once (pending ones to apply, ones to redact): far more than a store sends between two runs. */
    static final int MOST = 10_000;
    private static final Set<String> ORDER_TOPICS = Set.of("orders/create", "orders/updated", "orders/paid", "orders/cancelled");
    /** Shopify ended a bulk operation: {@code admin_graphql_api_id}, {@code status}, {@code error_code}. */
    static final String BULK_FINISHED = "bulk_operations/finish";
    private static final Set<String> CUSTOMER_TOPICS = Set.of("customers/create", "customers/update");

    /** The fields a delivery is stored with (its state is Received by default). */
    private static final List<String> COLUMNS = List.of("webhook_id", "event_key", "topic", "shop", "triggered_at", "body");
    /** The JSON structure of deliveries to store, for DuckDB's from_json: every field as text. */
    private static final String ROWS = "[{" + String.join(", ", COLUMNS.stream().map(c -> "\"" + c + "\": \"VARCHAR\"").toList()) + "}]";

    /** One delivery as its headers and raw body give it. */
    record Delivery(String webhookId, String eventId, String topic, String shop, String triggeredAt, String body) {
        String eventKey() {
            return eventId == null ? null : topic + " " + eventId;
        }

        /** The delivery as a row of {@link #COLUMNS}. */
        Map<String, Object> row() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("webhook_id", webhookId);
            row.put("event_key", eventKey());
            row.put("topic", topic);
            row.put("shop", shop);
            row.put("triggered_at", triggeredAt);
            row.put("body", body);
            return row;
        }
    }

    private Deliveries() {
    }

    /**
     * Stores the deliveries not stored before, in one transaction: one lookup of those whose
     * webhook id or event is stored already, one insert of the others. Returns, per delivery in
     * order, whether it was stored (false: a duplicate, of a stored one or of one earlier in the list).
     */
    static List<Boolean> storeAll(PluginContext context, List<Delivery> deliveries) {
        return context.crm().inTransaction(tx -> {
            Set<String> seen = new HashSet<>();
            List<String> ids = deliveries.stream().map(Delivery::webhookId).toList();
            List<String> events = deliveries.stream().map(Delivery::eventKey).filter(Objects::nonNull).toList();
            Filter stored = Filter.compare("webhook_id", Operator.IN, ids);
            for (Map<String, Object> delivery : tx.query(OBJECT, events.isEmpty() ? stored
                    : Filter.or(stored, Filter.compare("event_key", Operator.IN, events)), List.of(), 2 * deliveries.size())) {
                seen.add("id " + delivery.get("webhook_id"));
                seen.add("event " + delivery.get("event_key"));
            }
            List<Boolean> fresh = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Delivery delivery : deliveries) {
                boolean duplicate = seen.contains("id " + delivery.webhookId())
                        || delivery.eventKey() != null && seen.contains("event " + delivery.eventKey());
                fresh.add(!duplicate);
                if (!duplicate) {
                    seen.add("id " + delivery.webhookId());
                    seen.add("event " + delivery.eventKey());
                    rows.add(delivery.row());
                }
            }
            if (!rows.isEmpty()) {
                tx.createFromQuery(OBJECT, COLUMNS, "SELECT " + String.join(", ", COLUMNS) + " FROM (SELECT unnest(from_json(CAST(? AS JSON), '"
                        + ROWS + "'), recursive := true))", context.json().write(rows));
            }
            return fresh;
        });
    }

    /**
     * Applies a stored delivery still Received; returns its state afterwards (Applied, Ignored, or
     * Received while it waits). One applied or ignored before is left as it is.
     */
    @SuppressWarnings("unchecked")
    static String apply(PluginContext context, long id) {
        return context.crm().inTransaction(tx -> {
            Map<String, Object> delivery = tx.find(OBJECT, id).orElseThrow();
            if (!"Received".equals(delivery.get("state"))) {
                return (String) delivery.get("state");
            }
            Map<String, Object> json = (Map<String, Object>) context.json().parse((String) delivery.get("body"));
            ShopifyWrites writes = new ShopifyWrites(tx, (String) delivery.get("shop"));
            String topic = (String) delivery.get("topic");
            ShopifyWrites.Outcome outcome;
            if (ORDER_TOPICS.contains(topic)) {
                outcome = writes.order(json);
            } else if (CUSTOMER_TOPICS.contains(topic)) {
                writes.customer(json);
                outcome = ShopifyWrites.Outcome.APPLIED;
            } else if (topic.equals("products/update")) {
                outcome = writes.product(json);
            } else if (topic.equals("refunds/create")) {
                outcome = writes.refund(json);
            } else if (topic.equals("customers/delete")) {
                return mark(tx, id, "Applied", writes.deleteCustomer(json));
            } else if (topic.equals("customers/redact")) {
                return mark(tx, id, "Applied", writes.redact(json));
            } else if (topic.equals("shop/redact")) {
                return mark(tx, id, "Applied", writes.redactShop());
            } else if (topic.equals(BULK_FINISHED)) {
                return mark(tx, id, "Applied", "Bulk operation " + json.get("admin_graphql_api_id") + " ended " + json.get("status")
                        + ": the sync waiting for it read its result at once");
            } else if (topic.equals("customers/data_request")) {
                return mark(tx, id, "Applied", "Data request " + ShopifyWrites.map(json.get("data_request")).get("id")
                        + " for customer " + ShopifyWrites.map(json.get("customer")).get("id") + " recorded: answer it from the CRM's data");
            } else {
                return mark(tx, id, "Ignored", "Topic " + topic + " is not handled");
            }
            return switch (outcome) {
                case APPLIED -> mark(tx, id, "Applied", null);
                case OLDER -> mark(tx, id, "Ignored", "Older than what is stored (updated_at " + json.get("updated_at") + ")");
                case WAITING -> mark(tx, id, "Received", "Waits for its order to arrive");
            };
        });
    }

    /**
     * Applies every delivery still Received, in the order Shopify triggered them; returns how many
     * were applied. One that fails stays Received with the reason as its note, and the pass goes on.
     * Those that wait (a refund before its order) are tried again at the end of the pass while the
     * pass applied something, so a refund and its order delivered together are applied together.
     */
    static int applyPending(PluginContext context) {
        List<Long> pending = context.crm().query(OBJECT, Filter.compare("state", Operator.EQ, "Received"),
                List.of(Sort.asc("triggered_at")), MOST).stream().map(d -> (Long) d.get("id")).toList();
        int total = 0;
        for (int applied = -1; applied != 0 && !pending.isEmpty(); ) {
            applied = 0;
            List<Long> waiting = new ArrayList<>();
            for (long id : pending) {
                try {
                    DeliveryWriter.yieldToStoring();
                    String state = apply(context, id);
                    if (state.equals("Applied")) {
                        applied++;
                    } else if (state.equals("Received")) {
                        waiting.add(id);
                    }
                } catch (RuntimeException e) {
                    context.crm().inTransaction(tx -> mark(tx, id, "Received", "Not applied yet: " + e.getMessage()));
                }
            }
            total += applied;
            pending = waiting;
        }
        return total;
    }

    /** The GID of the bulk operation a {@link #BULK_FINISHED} body names. */
    @SuppressWarnings("unchecked")
    static String bulkOperation(PluginContext context, String body) {
        return String.valueOf(((Map<String, Object>) context.json().parse(body)).get("admin_graphql_api_id"));
    }

    private static String mark(CrmContext tx, long id, String state, String note) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("state", state);
        values.put("note", note);
        tx.update(OBJECT, id, values);
        return state;
    }

    private static boolean stored(CrmContext tx, String field, String value) {
        return value != null && !tx.query(OBJECT, Filter.compare(field, Operator.EQ, value), List.of(), 1).isEmpty();
    }
}
