package dev.storefront.crm.shopify;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Sort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code shopify_webhooks} log. A delivery is journaled first ({@link DeliveryJournal}), then
 * stored here in a transaction of the deliveries journaled with it ({@link JournalMover}), unless one with the same {@code X-Shopify-Webhook-Id},
 * or the same topic and {@code X-Shopify-Event-Id}, is stored already (Shopify delivers at least
 * once); then applied by the {@link Applier}'s thread in a
 * later transaction (of many deliveries, {@link WebhookBatch}) that also marks it Applied or Ignored,
 * so a crash in between leaves it Received for the next pass. A delivery is applied only while it is Received, so only once.
 */
final class Deliveries {

    static final String OBJECT = "shopify_webhooks";
    /** Deliveries read at once (pending ones to apply, ones to redact): far more than a store sends between two runs. */
    static final int MOST = 10_000;
    /** Shopify ended a bulk operation: {@code admin_graphql_api_id}, {@code status}, {@code error_code}. */
    static final String BULK_FINISHED = "bulk_operations/finish";
    /** Deliveries of the upsert topics applied in one transaction at most: bounds how long moving waits for the write lock. */
    static final int APPLY_BATCH = 200;
    /** Deliveries moved from the journal in one transaction at most: bounds a transaction's size after a flood. */
    static final int MOVE_BATCH = 1_000;

    /** One delivery as its headers and raw body give it. */
    record Delivery(String webhookId, String eventId, String topic, String shop, String triggeredAt, String body) {
        String eventKey() {
            return eventId == null ? null : topic + " " + eventId;
        }

        /** The fields the delivery is stored with (its state is Received by default). */
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

    /**
     * Whether the customers written before the store links existed were linked since the plugin started: once, before
     * the first deliveries are applied, as those look customers up by their links.
     */
    private static final AtomicBoolean LINKED = new AtomicBoolean();

    private Deliveries() {
    }

    /**
     * Stores the deliveries not stored before, in one transaction of one insert that leaves out those
     * whose webhook id or event is stored already or earlier in the list ({@link CrmContext#createAbsent}).
     * Returns, per delivery in order, whether it was stored (false: a duplicate).
     */
    static List<Boolean> storeAll(PluginContext context, List<Delivery> deliveries) {
        return context.crm().createAbsent(OBJECT, deliveries.stream().map(Delivery::row).toList());
    }

    /**
     * Applies a stored delivery still Received whose topic is not one of {@link WebhookBatch#TOPICS};
     * returns its state afterwards. One applied or ignored before is left as it is.
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
            return switch (topic) {
                case "customers/delete" -> mark(tx, id, "Applied", writes.deleteCustomer(json));
                case "customers/redact" -> mark(tx, id, "Applied", writes.redact(json));
                case "shop/redact" -> mark(tx, id, "Applied", writes.redactShop());
                case BULK_FINISHED -> mark(tx, id, "Applied", "Bulk operation " + json.get("admin_graphql_api_id") + " ended "
                        + json.get("status") + ": the sync waiting for it read its result at once");
                case "customers/data_request" -> mark(tx, id, "Applied", "Data request " + ShopifyWrites.map(json.get("data_request")).get("id")
                        + " for customer " + ShopifyWrites.map(json.get("customer")).get("id") + " recorded: answer it from the CRM's data");
                default -> mark(tx, id, "Ignored", "Topic " + topic + " is not handled");
            };
        });
    }

    /**
     * Applies every delivery still Received, in the order Shopify triggered them; returns how many
     * were applied. Consecutive deliveries of the upsert topics are applied together, up to
     * {@link #APPLY_BATCH} in one transaction ({@link WebhookBatch}); the others one at a time. A batch
     * that fails is applied again one delivery at a time, so one that fails alone stays Received with
     * the reason as its note, and the pass goes on. Those that wait (a refund before its order) are
     * tried again at the end of the pass while the pass applied something, so a refund and its order
     * delivered together are applied together.
     */
    static int applyPending(PluginContext context) {
        if (!LINKED.get()) {
            CustomerLinks.linkUnlinked(context.crm());
            LINKED.set(true);
        }
        // The read of what is Received waits too: during a burst it would take CPU from answering and be stale after it.
        Applier.yieldToAnswering(context);
        List<Map<String, Object>> pending = context.crm().query(OBJECT, Filter.compare("state", Operator.EQ, "Received"),
                List.of(Sort.asc("triggered_at")), MOST);
        int total = 0;
        for (int applied = -1; applied != 0 && !pending.isEmpty(); ) {
            applied = 0;
            List<Map<String, Object>> waiting = new ArrayList<>();
            for (List<Map<String, Object>> run : runs(pending)) {
                Applier.yieldToAnswering(context);
                Map<Long, String> states = applyRun(context, run);
                for (Map<String, Object> delivery : run) {
                    String state = states.get((Long) delivery.get("id"));
                    if ("Applied".equals(state)) {
                        applied++;
                    } else if ("Received".equals(state)) {
                        waiting.add(delivery);
                    }
                }
            }
            total += applied;
            pending = waiting;
        }
        return total;
    }

    /** The deliveries cut into runs: consecutive ones of the batch topics, up to {@link #APPLY_BATCH}, and each other one alone. */
    private static List<List<Map<String, Object>>> runs(List<Map<String, Object>> deliveries) {
        List<List<Map<String, Object>>> runs = new ArrayList<>();
        List<Map<String, Object>> run = null;
        for (Map<String, Object> delivery : deliveries) {
            boolean batched = WebhookBatch.TOPICS.contains((String) delivery.get("topic"));
            if (!batched || run == null || run.size() == APPLY_BATCH || !WebhookBatch.TOPICS.contains((String) run.get(0).get("topic"))) {
                run = new ArrayList<>();
                runs.add(run);
            }
            run.add(delivery);
        }
        return runs;
    }

    /** Each delivery's state once the run is applied, by id; a run that fails is applied again one at a time. */
    private static Map<Long, String> applyRun(PluginContext context, List<Map<String, Object>> run) {
        long first = (Long) run.get(0).get("id");
        try {
            return WebhookBatch.TOPICS.contains((String) run.get(0).get("topic"))
                    ? WebhookBatch.apply(context, run.stream().map(d -> (Long) d.get("id")).toList())
                    : Map.of(first, apply(context, first));
        } catch (RuntimeException e) {
            if (run.size() > 1) {
                Map<Long, String> states = new HashMap<>();
                run.forEach(delivery -> states.putAll(applyRun(context, List.of(delivery))));
                return states;
            }
            context.crm().inTransaction(tx -> mark(tx, first, "Received", "Not applied yet: " + e.getMessage()));
            return Map.of();
        }
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
}
