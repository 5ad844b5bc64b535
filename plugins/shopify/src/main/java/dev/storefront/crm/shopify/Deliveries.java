package dev.storefront.crm.shopify;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Sort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code shopify_webhooks} log. A delivery is stored first, in its own transaction, unless one
 * with the same {@code X-Shopify-Webhook-Id}, or the same topic and {@code X-Shopify-Event-Id}, is
 * stored already (Shopify delivers at least once); then applied by the {@link Applier}'s thread in a
 * second transaction that also marks it Applied or Ignored, so a crash in between leaves it Received
 * for the next pass. A delivery is applied only while it is Received, so only once.
 */
final class Deliveries {

    static final String OBJECT = "shopify_webhooks";
    /** Deliveries read at once (pending ones to apply, ones to redact): far more than a store sends between two runs. */
    static final int MOST = 10_000;
    private static final Set<String> ORDER_TOPICS = Set.of("orders/create", "orders/updated", "orders/paid", "orders/cancelled");
    private static final Set<String> CUSTOMER_TOPICS = Set.of("customers/create", "customers/update");

    /** One delivery as its headers and raw body give it. */
    record Delivery(String webhookId, String eventId, String topic, String shop, String triggeredAt, String body) {
        String eventKey() {
            return eventId == null ? null : topic + " " + eventId;
        }
    }

    private Deliveries() {
    }

    /** Stores the delivery and returns its entry id, or null when it was stored before. */
    static Long store(CrmContext crm, Delivery delivery) {
        return crm.inTransaction(tx -> {
            if (stored(tx, "webhook_id", delivery.webhookId()) || stored(tx, "event_key", delivery.eventKey())) {
                return null;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("webhook_id", delivery.webhookId());
            values.put("event_key", delivery.eventKey());
            values.put("topic", delivery.topic());
            values.put("shop", delivery.shop());
            values.put("triggered_at", delivery.triggeredAt());
            values.put("body", delivery.body());
            values.put("state", "Received");
            return (Long) tx.create(OBJECT, values).get("id");
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
     */
    static int applyPending(PluginContext context) {
        List<Map<String, Object>> pending = context.crm().query(OBJECT, Filter.compare("state", Operator.EQ, "Received"),
                List.of(Sort.asc("triggered_at")), MOST);
        int applied = 0;
        for (Map<String, Object> delivery : pending) {
            long id = (Long) delivery.get("id");
            try {
                if (apply(context, id).equals("Applied")) {
                    applied++;
                }
            } catch (RuntimeException e) {
                context.crm().inTransaction(tx -> mark(tx, id, "Received", "Not applied yet: " + e.getMessage()));
            }
        }
        return applied;
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
