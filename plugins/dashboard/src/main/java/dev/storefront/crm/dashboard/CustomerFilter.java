package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.query.Selection;
import java.util.List;
import java.util.Map;

/**
 * What a widget looks at: customers by segment and acquisition source (labels as in the model, such
 * as {@code Potential Loyal}) and by any condition of GraphQL's customer {@code where}; and records of
 * the given shops, by the shop field ({@code shopify_shop} unless configured): orders, returns and
 * customers by their own shop, other records by their customer's. An empty list or no condition does
 * not filter.
 *
 * @param where the customers matching the {@code where} condition, as the host wrote it; null for all
 * @param shopField the api name of the shop field; null when the model records no shop
 */
record CustomerFilter(List<String> segments, List<String> acquisitionSources, Selection where, List<String> shops, String shopField) {

    static final CustomerFilter NONE = new CustomerFilter(List.of(), List.of(), null, List.of(), null);
    /** The shop field Shopify's plugin adds to orders, returns and customers. */
    static final String DEFAULT_SHOP_FIELD = "shopify_shop";
    /** The objects that must carry the shop field for {@code filter.shops} to exist. */
    static final List<String> SHOP_OBJECTS = List.of("orders", "returns", "customers");

    CustomerFilter {
        segments = List.copyOf(segments);
        acquisitionSources = List.copyOf(acquisitionSources);
        shops = List.copyOf(shops);
    }

    @SuppressWarnings("unchecked")
    static CustomerFilter of(Object argument, PluginContext context) {
        if (!(argument instanceof Map<?, ?> map)) {
            return NONE;
        }
        List<String> segments = (List<String>) map.get("segments");
        List<String> sources = (List<String>) map.get("acquisitionSources");
        List<String> shops = map.get("shops") == null ? List.of() : (List<String>) map.get("shops");
        String shopField = shopField(context);
        if (!shops.isEmpty() && !recordsShops(context.crm(), shopField)) {
            throw new PluginException("filter.shops", "filter.shops: this store records no shop (no field " + shopField
                    + " on orders, returns and customers; the Shopify plugin adds it)");
        }
        return new CustomerFilter(segments == null ? List.of() : segments, sources == null ? List.of() : sources,
                where((String) map.get("where"), context), shops, shops.isEmpty() ? null : shopField);
    }

    /** The shop field's api name: {@code crm.plugins.dashboard.shop-field}, else Shopify's. */
    static String shopField(PluginContext context) {
        return context.config("shop-field").orElse(DEFAULT_SHOP_FIELD);
    }

    /** True when orders, returns and customers all carry the shop field: then widgets take {@code filter.shops}. */
    static boolean recordsShops(CrmContext crm, String shopField) {
        return SHOP_OBJECTS.stream().allMatch(object -> crm.fields(object).containsKey(shopField));
    }
    private static Selection where(String json, PluginContext context) {
        if (json == null) {
            return null;
        }
        Object where;
        try {
            where = context.json().parse(json);
        } catch (RuntimeException e) {
            throw new PluginException("filter.where", "filter.where: not JSON; write a customers where as in GraphQL, "
                    + "e.g. {\"lifetimeValue\": {\"gt\": 500}}");
        }
        if (!(where instanceof Map<?, ?> condition)) {
            throw new PluginException("filter.where", "filter.where: a customers where is a JSON object, e.g. {\"lifetimeValue\": {\"gt\": 500}}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) condition;
        return context.crm().matching("customers", typed);
    }

    boolean isEmpty() {
        return !hasCustomerConditions() && shops.isEmpty();
    }

    private boolean hasCustomerConditions() {
        return !segments.isEmpty() || !acquisitionSources.isEmpty() || where != null;
    }

    /** {@code AND <column> IN (customers that match, of the shops)}; nothing when the filter is empty. */
    void andCustomerIn(Select select, String column) {
        andPasses(select, null, column);
    }

    /**
     * {@code AND} the record under {@code alias}, which has a shop field of its own (orders, returns),
     * is of the shops, and its customer ({@code <alias>.customer_id}) matches the customer conditions.
     */
    void andOwnShopAndCustomerIn(Select select, String alias) {
        andOfShops(select, alias);
        andPasses(select, alias, alias + ".customer_id");
    }

    /** The customer conditions on {@code customerColumn}, with the shops on the customer unless {@code ownShopAlias} had them. */
    private void andPasses(Select select, String ownShopAlias, String customerColumn) {
        boolean shopsOfCustomer = ownShopAlias == null && !shops.isEmpty();
        if (hasCustomerConditions() || shopsOfCustomer) {
            select.sql(" AND " + customerColumn + " IN (SELECT c.id FROM customers c WHERE 1 = 1");
            andCustomerConditions(select, "c");
            if (shopsOfCustomer) {
                andOfShops(select, "c");
            }
            select.sql(")");
        }
    }

    /** {@code AND} the conditions on the customers table under {@code alias}, the customer's shop included. */
    void andCustomerMatches(Select select, String alias) {
        andCustomerConditions(select, alias);
        andOfShops(select, alias);
    }

    private void andCustomerConditions(Select select, String alias) {
        if (!segments.isEmpty()) {
            select.sql(" AND " + alias + ".customer_segment IN ").list(segments);
        }
        if (!acquisitionSources.isEmpty()) {
            select.sql(" AND " + alias + ".acquisition_source IN ").list(acquisitionSources);
        }
        if (where != null) {
            select.sql(" AND " + alias + ".id IN (").embed(where).sql(")");
        }
    }

    /** {@code AND <alias>.<shop field> IN (shops)}; nothing without shops. */
    private void andOfShops(Select select, String alias) {
        if (!shops.isEmpty()) {
            select.sql(" AND " + alias + ".").ident(shopField).sql(" IN ").list(shops);
        }
    }
}
