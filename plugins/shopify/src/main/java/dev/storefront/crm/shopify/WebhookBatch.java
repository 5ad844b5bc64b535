package dev.storefront.crm.shopify;

import static dev.storefront.crm.shopify.ShopifyWrites.map;
import static dev.storefront.crm.shopify.ShopifyWrites.text;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.sync.EntryRef;
import dev.storefront.crm.api.sync.GuestCustomer;
import dev.storefront.crm.api.sync.SyncRecord;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deliveries of the upsert topics (orders, customers, products, refunds) applied together in one
 * transaction with one set-based write ({@link CrmContext#write}) and one statement marking their
 * states, instead of a transaction, lookups and writes per delivery. The outcome of each delivery is
 * decided in Java, in trigger order, exactly as {@link ShopifyWrites} decides it one at a time: what
 * is stored is read once per object and key, and each delivery applied moves what is "stored" on for
 * the deliveries after it (a newer {@code updated_at}, an order that now exists for its refund). Of
 * several applied deliveries of one entry only the last is written, since each writes all the fields
 * the one before it wrote.
 */
final class WebhookBatch {

    /** The topics applied by a batch; the others (deletes, redacts, bulk and data requests) one at a time. */
    static final Set<String> TOPICS = Set.of("orders/create", "orders/updated", "orders/paid", "orders/cancelled",
            "customers/create", "customers/update", "products/update", "refunds/create");

    /** What is known of one entry, as stored or as an earlier delivery of the batch left it. */
    private static final class Known {
        /** The stored entry's id, or null for one the batch creates. */
        final Long id;
        OffsetDateTime updatedAt;
        /** For an order: its customer, as a relation's value (an id, or the {@link Known} of one the batch creates). */
        Object customer;
        /** The record the batch writes for this entry, the last applied one, or null. */
        Pending record;

        Known(Long id, OffsetDateTime updatedAt) {
            this.id = id;
            this.updatedAt = updatedAt;
        }
    }

    /**
     * A record to write, whose relations to customers the batch creates may still be {@link Known}:
     * their key is the one of the customer's last record, known only once the whole batch is decided.
     */
    private record Pending(String object, List<String> keys, Map<String, Object> values) {
        SyncRecord resolved() {
            Map<String, Object> values = new LinkedHashMap<>(this.values);
            values.replaceAll((field, value) -> value instanceof Known known ? reference(known) : value);
            return new SyncRecord(object, keys, values);
        }
    }

    private final CrmContext tx;
    /** Where a refund's day begins ({@link ShopifyWrites#refundDay}). */
    private final ZoneId storeZone;
    private final Map<String, Known> customersByKey = new HashMap<>();
    /** The customer keys a store's link names, stored or written by the batch. */
    private final Set<String> linkedKeys = new HashSet<>();
    /** The keys of customers a customers/delete applied before removed from Shopify. */
    private final Set<String> deletedCustomers = new HashSet<>();
    private final Map<String, Known> customersByEmail = new HashMap<>();
    private final Map<String, Known> orders = new HashMap<>();
    private final Map<String, Known> products = new HashMap<>();
    /** Line items and returns, written whenever their order is: by key, the last record. */
    private final Map<String, Pending> dependents = new LinkedHashMap<>();

    private WebhookBatch(CrmContext tx, ZoneId storeZone) {
        this.tx = tx;
        this.storeZone = storeZone;
    }

    /**
     * Applies the deliveries of {@code ids} still Received (each of a topic in {@link #TOPICS}), in
     * their order, in one transaction; returns each one's state afterwards by id (Applied, Ignored, or
     * Received while a refund waits for its order). Throws, writing nothing, if any record is refused.
     */
    @SuppressWarnings("unchecked")
    static Map<Long, String> apply(PluginContext context, List<Long> ids) {
        return context.crm().inTransaction(tx -> {
            Map<Long, Map<String, Object>> byId = new HashMap<>();
            for (Map<String, Object> delivery : tx.query(Deliveries.OBJECT, Filter.and(Filter.compare("id", Operator.IN, ids),
                    Filter.compare("state", Operator.EQ, "Received")), List.of(), ids.size())) {
                byId.put((Long) delivery.get("id"), delivery);
            }
            List<Map<String, Object>> deliveries = ids.stream().filter(byId::containsKey).map(byId::get).toList();
            List<Map<String, Object>> bodies = deliveries.stream()
                    .map(d -> (Map<String, Object>) context.json().parse((String) d.get("body"))).toList();
            WebhookBatch batch = new WebhookBatch(tx, context.timeZone());
            batch.readStored(deliveries, bodies);
            batch.readDeleted(deliveries, bodies, context);
            Map<Long, String> states = new LinkedHashMap<>();
            List<Map<String, Object>> marks = new ArrayList<>();
            for (int i = 0; i < deliveries.size(); i++) {
                Map<String, Object> delivery = deliveries.get(i);
                Map<String, Object> json = bodies.get(i);
                ShopifyWrites.Outcome outcome = batch.decide((String) delivery.get("topic"), (String) delivery.get("shop"), json);
                Map<String, Object> mark = new LinkedHashMap<>();
                mark.put("id", delivery.get("id"));
                switch (outcome) {
                    case APPLIED -> mark.put("state", "Applied");
                    case OLDER -> {
                        mark.put("state", "Ignored");
                        mark.put("note", "Older than what is stored (updated_at " + json.get("updated_at") + ")");
                    }
                    case DELETED -> {
                        mark.put("state", "Ignored");
                        mark.put("note", "The customer was deleted in Shopify since (customers/delete applied before)");
                    }
                    case WAITING -> {
                        mark.put("state", "Received");
                        mark.put("note", "Waits for its order to arrive");
                    }
                }
                marks.add(mark);
                states.put((Long) delivery.get("id"), (String) mark.get("state"));
            }
            List<SyncRecord> records = batch.records();
            if (!records.isEmpty()) {
                List<Long> stale = OrderLines.stale(tx, records).stream().map(item -> (Long) item.get("id")).toList();
                tx.write(records);
                if (!stale.isEmpty()) {
                    tx.deleteAll("order_items", stale);
                }
            }
            if (!marks.isEmpty()) {
                tx.updateFromQuery(Deliveries.OBJECT, List.of("state", "note"), "SELECT id, state, note FROM (SELECT unnest(from_json("
                        + "CAST(? AS JSON), '[{\"id\": \"BIGINT\", \"state\": \"VARCHAR\", \"note\": \"VARCHAR\"}]'), recursive := true))",
                        context.json().write(marks));
            }
            return states;
        });
    }

    /** The stored entries the deliveries name, read once per object and key field. */
    private void readStored(List<Map<String, Object>> deliveries, List<Map<String, Object>> bodies) {
        Set<String> customerKeys = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        Set<String> orderKeys = new LinkedHashSet<>();
        Set<String> productKeys = new LinkedHashSet<>();
        for (int i = 0; i < deliveries.size(); i++) {
            String shop = (String) deliveries.get(i).get("shop");
            String topic = (String) deliveries.get(i).get("topic");
            Map<String, Object> json = bodies.get(i);
            Map<String, Object> customer = topic.startsWith("customers/") ? json : topic.startsWith("orders/") ? map(json.get("customer")) : Map.of();
            if (!customer.isEmpty()) {
                customerKeys.add(key(shop, customer, "Customer"));
                if (text(customer.get("email")) != null) {
                    emails.add(text(customer.get("email")));
                }
            } else if (topic.startsWith("orders/") && ShopifyWrites.guest(json) != null) {
                emails.add(ShopifyWrites.guest(json).email());
            }
            if (topic.startsWith("orders/")) {
                orderKeys.add(key(shop, json, "Order"));
            } else if (topic.equals("refunds/create")) {
                orderKeys.add(refundOrderKey(shop, json));
            } else if (topic.equals("products/update")) {
                productKeys.add(key(shop, json, "Product"));
            }
        }
        // By each store's link (CustomerLinks): the customer another store keyed last is found by this store's GID too.
        Map<String, Long> linked = CustomerLinks.customers(tx, customerKeys);
        Map<Long, Known> byId = new HashMap<>();
        for (Map<String, Object> entry : stored("customers", "id", linked.values())) {
            Known known = known(entry);
            byId.put(known.id, known);
            if (entry.get("email") != null) {
                customersByEmail.putIfAbsent((String) entry.get("email"), known);
            }
        }
        linked.forEach((key, id) -> {
            if (byId.containsKey(id)) {
                customersByKey.put(key, byId.get(id));
                linkedKeys.add(key);
            }
        });
        for (Map<String, Object> entry : stored("customers", "email", emails)) {
            customersByEmail.putIfAbsent((String) entry.get("email"), known(entry));
        }
        for (Map<String, Object> entry : stored("orders", "shopify_key", orderKeys)) {
            Known known = known(entry);
            known.customer = entry.get("customer");
            orders.put((String) entry.get("shopify_key"), known);
        }
        for (Map<String, Object> entry : stored("products", "shopify_key", productKeys)) {
            products.put((String) entry.get("shopify_key"), known(entry));
        }
    }

    /**
     * The customers of the customers/create and customers/update deliveries that a customers/delete applied before removed:
     * Shopify retries a delivery for hours and never reuses an id, so one of these arriving after the delete is stale.
     */
    @SuppressWarnings("unchecked")
    private void readDeleted(List<Map<String, Object>> deliveries, List<Map<String, Object>> bodies, PluginContext context) {
        Map<String, String> keysById = new HashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            if (((String) deliveries.get(i).get("topic")).startsWith("customers/")) {
                keysById.put(String.valueOf(bodies.get(i).get("id")), key((String) deliveries.get(i).get("shop"), bodies.get(i), "Customer"));
            }
        }
        if (keysById.isEmpty()) {
            return;
        }
        Filter namingOne = Filter.or(keysById.keySet().stream().map(id -> Filter.compare("body", Operator.CONTAINS, id)).toArray(Filter[]::new));
        for (Map<String, Object> delete : tx.query(Deliveries.OBJECT, Filter.and(Filter.compare("topic", Operator.EQ, "customers/delete"),
                Filter.compare("state", Operator.EQ, "Applied"), namingOne), List.of(), Deliveries.MOST)) {
            // A redact may have erased the body; the id in it is what names the customer, not the digits found anywhere.
            if (delete.get("body") != null) {
                String key = key((String) delete.get("shop"), (Map<String, Object>) context.json().parse((String) delete.get("body")), "Customer");
                if (keysById.containsValue(key)) {
                    deletedCustomers.add(key);
                }
            }
        }
    }

    private List<Map<String, Object>> stored(String object, String field, Collection<?> values) {
        return values.isEmpty() ? List.of()
                : tx.query(object, Filter.compare(field, Operator.IN, List.copyOf(values)), List.of(), values.size());
    }

    private static Known known(Map<String, Object> entry) {
        return new Known((Long) entry.get("id"), (OffsetDateTime) entry.get("shopify_updated_at"));
    }

    /** What applying one delivery does, as {@link Deliveries#apply} would do it after the ones before it. */
    private ShopifyWrites.Outcome decide(String topic, String shop, Map<String, Object> json) {
        if (topic.startsWith("customers/")) {
            if (deletedCustomers.contains(key(shop, json, "Customer"))) {
                return ShopifyWrites.Outcome.DELETED;
            }
            customer(shop, json);
            return ShopifyWrites.Outcome.APPLIED;
        }
        if (topic.startsWith("orders/")) {
            return order(shop, json);
        }
        if (topic.equals("products/update")) {
            return product(shop, json);
        }
        return refund(shop, json);
    }

    /** The customer as a relation's value (its id, or its key when the batch creates it), written first unless what is stored is as new. */
    private Object customer(String shop, Map<String, Object> json) {
        String key = key(shop, json, "Customer");
        String email = text(json.get("email"));
        Known known = customersByKey.get(key);
        if (known == null && email != null) {
            known = customersByEmail.get(email);
        }
        if (known == null || newer(json, known)) {
            if (known == null) {
                known = new Known(null, null);
            }
            known.updatedAt = updatedAt(json);
            known.record = new Pending("customers", ShopifyWrites.CUSTOMER_KEYS, new ShopifyWrites(tx, shop).customerValues(json));
            customersByKey.put(key, known);
            if (email != null) {
                customersByEmail.put(email, known);
            }
        }
        Object customer = known.id != null ? known.id : known;
        if (linkedKeys.add(key)) {
            SyncRecord link = CustomerLinks.record(key, shop, customer);
            dependents.put("links " + key, new Pending(link.object(), link.keys(), link.values()));
        }
        return customer;
    }

    private ShopifyWrites.Outcome order(String shop, Map<String, Object> json) {
        String key = key(shop, json, "Order");
        Known known = orders.get(key);
        if (known != null && !newer(json, known)) {
            return ShopifyWrites.Outcome.OLDER;
        }
        Map<String, Object> buyer = map(json.get("customer"));
        GuestCustomer guest = buyer.isEmpty() ? ShopifyWrites.guest(json) : null;
        Object customer = !buyer.isEmpty() ? customer(shop, buyer) : guest != null ? guest(guest) : null;
        ShopifyWrites writes = new ShopifyWrites(tx, shop);
        Map<String, Object> values = writes.orderValues(json);
        values.put("customer", customer);
        if (known == null) {
            known = new Known(null, null);
            orders.put(key, known);
        }
        known.updatedAt = updatedAt(json);
        known.customer = customer;
        known.record = new Pending("orders", List.of("shopify_key"), values);
        EntryRef order = new EntryRef("orders", "shopify_key", key);
        // This delivery's lines replace those an earlier delivery of the order in the batch gave (an edit may have removed one).
        dependents.values().removeIf(pending -> order.equals(pending.values().get("order")) && pending.object().equals("order_items"));
        for (Map<String, Object> item : writes.lineItemValues(json)) {
            item.put("order", order);
            dependents.put("order_items " + item.get("shopify_key"), new Pending("order_items", List.of("shopify_key"), item));
        }
        return ShopifyWrites.Outcome.APPLIED;
    }

    /**
     * The guest of an order as a relation's value: the customer with its email, written from the order's billing
     * details first ({@link GuestCustomer}), unless a customer delivery of the batch writes that customer already.
     */
    private Object guest(GuestCustomer guest) {
        Known known = customersByEmail.computeIfAbsent(guest.email(), email -> new Known(null, null));
        if (known.record == null || known.record.keys().equals(List.of(GuestCustomer.KEY))) {
            SyncRecord record = guest.record(Map.of());
            known.record = new Pending(record.object(), record.keys(), record.values());
        }
        return known.id != null ? known.id : known;
    }

    private ShopifyWrites.Outcome product(String shop, Map<String, Object> json) {
        String key = key(shop, json, "Product");
        Known known = products.get(key);
        if (known != null && !newer(json, known)) {
            return ShopifyWrites.Outcome.OLDER;
        }
        if (known == null) {
            known = new Known(null, null);
            products.put(key, known);
        }
        known.updatedAt = updatedAt(json);
        known.record = new Pending("products", List.of("shopify_key"), new ShopifyWrites(tx, shop).productValues(json));
        return ShopifyWrites.Outcome.APPLIED;
    }

    private ShopifyWrites.Outcome refund(String shop, Map<String, Object> json) {
        String orderKey = refundOrderKey(shop, json);
        Known order = orders.get(orderKey);
        if (order == null) {
            return ShopifyWrites.Outcome.WAITING;
        }
        Map<String, Object> values = new ShopifyWrites(tx, shop).refundValues(json, storeZone);
        values.put("order", order.id != null ? order.id : new EntryRef("orders", "shopify_key", orderKey));
        values.put("customer", order.customer);
        dependents.put("returns " + values.get("shopify_key"), new Pending("returns", List.of("shopify_key"), values));
        return ShopifyWrites.Outcome.APPLIED;
    }

    /** The records to write: each entry's last applied record, then the line items and returns. */
    private List<SyncRecord> records() {
        Set<Known> entries = new LinkedHashSet<>();
        entries.addAll(customersByKey.values());
        entries.addAll(customersByEmail.values());
        entries.addAll(products.values());
        entries.addAll(orders.values());
        List<SyncRecord> records = new ArrayList<>();
        for (Known known : entries) {
            if (known.record != null) {
                records.add(known.record.resolved());
            }
        }
        dependents.values().forEach(pending -> records.add(pending.resolved()));
        return records;
    }

    /**
     * A relation to a customer the batch creates: by the key its last record gives it (a guest's: its email),
     * resolved once the batch's customers are written.
     */
    private static EntryRef reference(Known known) {
        Object key = known.record.values().get("shopify_key");
        return key != null ? new EntryRef("customers", "shopify_key", key) : new EntryRef("customers", GuestCustomer.KEY, known.record.values().get("email"));
    }

    private static String key(String shop, Map<String, Object> json, String type) {
        return shop + "/" + ShopifyWrites.gid(json, type);
    }

    private static String refundOrderKey(String shop, Map<String, Object> json) {
        return shop + "/gid://shopify/Order/" + json.get("order_id");
    }

    private static OffsetDateTime updatedAt(Map<String, Object> json) {
        String given = text(json.get("updated_at"));
        return given == null ? null : OffsetDateTime.parse(given);
    }

    /** As {@link ShopifyWrites}: newer when either side has no {@code updated_at}, else when strictly later. */
    private static boolean newer(Map<String, Object> json, Known known) {
        OffsetDateTime given = updatedAt(json);
        return known.updatedAt == null || given == null || given.isAfter(known.updatedAt);
    }
}
