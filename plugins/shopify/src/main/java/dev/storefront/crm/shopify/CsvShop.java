package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import java.util.Map;

/**
 * The store an admin CSV export comes from, for the importers' mappings: the store named by
 * {@code csv-shop}, else the first configured one. Its entries get the keys the webhooks and the
 * sync give them ({@link ShopifyWrites}), so a store imported and synced, in either order, has one
 * entry per customer, order and line. With no store configured a file is keyed without a shop
 * (order number {@code #1001}, customers by email).
 *
 * @param shop the shop domain, or null
 */
record CsvShop(String shop) {

    static CsvShop of(PluginContext context) {
        return new CsvShop(context.config("csv-shop").or(() -> Store.all(context).stream().findFirst().map(Store::shop)).orElse(null));
    }

    /** Puts {@code shopify_key} ({@code <shop>/gid://shopify/<type>/<id>}) and {@code shopify_shop}, when the store is known. */
    void putKey(Map<String, String> columns, String type, String id) {
        if (shop != null) {
            columns.put("Shopify Key", key(type, id));
        }
        putShop(columns);
    }

    /** The source of {@code <shop>/gid://shopify/<type>/<id>}, empty when {@code id} (a source) is; the store must be known. */
    String key(String type, String id) {
        return "concat('" + shop + "/gid://shopify/" + type + "/', " + id + ")";
    }

    /** Puts {@code shopify_shop}, when the store is known. */
    void putShop(Map<String, String> columns) {
        if (shop != null) {
            columns.put("Shopify Shop", "'" + shop + "'");
        }
    }

    /** The CRM's order number of {@code name} (a source), as {@link ShopifyWrites#orderNumber} writes it: shop and name joined by a space. */
    String orderNumber(String name) {
        return shop == null ? name : "'" + ShopifyWrites.orderNumber(shop, "").strip() + "' + " + name;
    }

    /**
     * A customer's key in an export that names it without id or email, {@code <shop>/<kind>:<value>}
     * ({@code northwind-knits.myshopify.com/phone:+420 555 010 203}); empty when the value (a source) is.
     */
    String exportKey(String kind, String value) {
        return "concat('" + (shop == null ? "" : shop + "/") + kind + ":', " + value + ")";
    }

    /** A line's key from its order's name and its SKU or name (sources), as {@link ShopifyWrites#lineKey} writes it. */
    String lineKey(String orderName, String line) {
        return "concat('" + (shop == null ? "csv:" : shop + "/") + "', " + orderName + ", '/', " + line + ")";
    }
}
