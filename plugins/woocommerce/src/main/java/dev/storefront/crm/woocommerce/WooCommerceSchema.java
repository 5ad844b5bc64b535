package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.plugin.SchemaContribution;
import java.util.List;
import org.pf4j.Extension;

/**
 * The fields WooCommerce data needs: its ids (the keys of every re-import; a return's is its refund id,
 * or for the refunds of an order CSV export that gives their total but no ids, the order's id; an order
 * item's is its item id, or for an export whose items carry none, its line key {@code <order id>/<SKU or
 * name>}) and a few store details.
 */
@Extension
public class WooCommerceSchema implements SchemaContribution {

    @Override
    public List<String> yamlDocuments() {
        return List.of("""
                object: customers
                singular: Customer
                plural: Customers
                fields:
                  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}
                  - {name: Billing Company, type: text}
                  - {name: Billing City, type: text}
                  - {name: Billing Country, type: text}
                  - {name: Registered At, type: datetime}
                """, """
                object: products
                singular: Product
                plural: Products
                fields:
                  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}
                """, """
                object: orders
                singular: Order
                plural: Orders
                fields:
                  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}
                  - {name: WooCommerce Status, api_name: woocommerce_status, type: text}
                  - {name: WooCommerce Modified At, api_name: woocommerce_modified_at, type: datetime}
                  - {name: Payment Method, type: text}
                """, """
                object: order_items
                singular: Order Item
                plural: Order Items
                fields:
                  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}
                  - {name: WooCommerce Line Key, api_name: woocommerce_line_key, type: text, unique: true}
                  - {name: Product Name, type: text}
                  - {name: SKU, api_name: sku, type: text}
                """, """
                object: returns
                singular: Return
                plural: Returns
                fields:
                  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}
                  - {name: WooCommerce Refunded Order, api_name: woocommerce_refunded_order, type: integer, unique: true}
                """);
    }
}
