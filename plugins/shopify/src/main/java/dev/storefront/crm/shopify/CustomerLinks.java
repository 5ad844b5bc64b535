package dev.storefront.crm.shopify;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.sync.SyncRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which CRM customer each store's Shopify customer is: a link per (shop, customer GID), keyed {@code <shop>/<GID>}
 * as entries are. A person who buys in several stores is one customer (matched by email) with a link per store, each
 * store naming it by its own GID; the customer's own {@code shopify_key} is only the one of the store that wrote it
 * last. Every path that writes a customer from a store writes its link in the same transaction, and every look-up of
 * a customer by GID goes through the links, so one store's delete or redact finds exactly that store's person and
 * leaves what another store still holds.
 */
final class CustomerLinks {

    static final String OBJECT = "shopify_customer_links";
    private static final String TABLE = "\"" + OBJECT + "\"";

    private CustomerLinks() {
    }

    /** The link of {@code key} ({@code <shop>/gid://shopify/Customer/<id>}) to {@code customer} (an id, or a relation's value by key). */
    static SyncRecord record(String key, String shop, Object customer) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("shopify_key", key);
        values.put("shop", shop);
        values.put("customer", customer);
        return new SyncRecord(OBJECT, List.of("shopify_key"), values);
    }

    /**
     * How an import or a bulk file links each customer row it writes: {@code key} (a source giving the row's
     * {@code <shop>/<GID>}) to the customer that row left keyed by it.
     */
    static ImportMapping mapping(String key, String shop) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("shopify_key", key);
        columns.put("shop", "'" + shop + "'");
        columns.put("customer.shopify_key", key);
        return new ImportMapping(OBJECT, List.of("shopify_key"), columns, key);
    }

    /** The customers {@code keys} name, by key; a key no store links is left out. */
    static Map<String, Long> customers(CrmContext crm, Collection<String> keys) {
        Map<String, Long> customers = new HashMap<>();
        if (!keys.isEmpty()) {
            for (Map<String, Object> link : crm.query(OBJECT, Filter.compare("shopify_key", Operator.IN, List.copyOf(keys)), List.of(), keys.size())) {
                if (link.get("customer") != null) {
                    customers.put((String) link.get("shopify_key"), (Long) link.get("customer"));
                }
            }
        }
        return customers;
    }

    /** The shops, other than through {@code key}, that still link {@code customer}. */
    static List<String> otherShops(CrmContext crm, long customer, String key) {
        return crm.query(OBJECT, Filter.and(Filter.compare("customer", Operator.EQ, customer), Filter.compare("shopify_key", Operator.NEQ, key)),
                List.of(), Deliveries.MOST).stream().map(link -> (String) link.get("shop")).distinct().sorted().toList();
    }

    /** Deletes the links whose {@code field} (shopify_key or shop) is {@code value}, a page of ids at a time; returns how many. */
    static long unlink(CrmContext crm, String field, String value) {
        long removed = 0;
        for (List<Long> ids = ids(crm, field, value); !ids.isEmpty(); ids = ids(crm, field, value)) {
            crm.deleteAll(OBJECT, ids);
            removed += ids.size();
        }
        return removed;
    }

    private static List<Long> ids(CrmContext crm, String field, String value) {
        return crm.query(OBJECT, Filter.compare(field, Operator.EQ, value), List.of(), Deliveries.MOST).stream()
                .map(link -> (Long) link.get("id")).toList();
    }

    /**
     * The customers the links whose {@code field} is a bound value name, and that no link outside them names: a SELECT
     * of their ids, with the value bound twice.
     */
    static String onlyLinkedBy(String field) {
        return "SELECT \"customer_id\" FROM " + TABLE + " WHERE \"" + field + "\" = ? AND \"customer_id\" NOT IN (SELECT \"customer_id\" FROM "
                + TABLE + " WHERE \"" + field + "\" <> ? AND \"customer_id\" IS NOT NULL)";
    }

    /**
     * For each customer keyed by one of the links whose {@code field} is a bound value and linked by another store
     * too: its id, and the key and shop of its first other link (a SELECT, the value bound three times). The customer
     * is then keyed by a store that still holds it.
     */
    static String otherKeys(String field) {
        return "SELECT c.\"id\", o.\"shopify_key\", o.\"shop\" AS \"shopify_shop\" FROM \"customers\" c JOIN " + TABLE + " o ON o.\"customer_id\" = c.\"id\""
                + " WHERE c.\"shopify_key\" IN (SELECT \"shopify_key\" FROM " + TABLE + " WHERE \"" + field + "\" = ?) AND o.\"" + field + "\" <> ?"
                + " AND o.\"shopify_key\" = (SELECT min(m.\"shopify_key\") FROM " + TABLE + " m WHERE m.\"customer_id\" = c.\"id\" AND m.\"" + field
                + "\" <> ?)";
    }

    /**
     * Links every customer keyed by a store that no link names yet (those written before the links existed), in one
     * statement; returns how many. Each is linked to the store that wrote it last; the other stores' links come with
     * their next write of it (a sync, a webhook).
     */
    static long linkUnlinked(CrmContext crm) {
        return crm.inTransaction(tx -> tx.createFromQuery(OBJECT, List.of("shopify_key", "shop", "customer"),
                "SELECT c.\"shopify_key\", c.\"shopify_shop\" AS \"shop\", c.\"id\" AS \"customer\" FROM \"customers\" c"
                        + " WHERE c.\"shopify_key\" IS NOT NULL AND c.\"shopify_shop\" IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM " + TABLE + " l WHERE l.\"shopify_key\" = c.\"shopify_key\")"));
    }
}
