package dev.storefront.crm.imports;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Order exports of the WooCommerce Customer/Order/Coupon Export plugin, written as it writes them. */
final class WooOrderExports {

    /**
     * The header of the Customer/Order/Coupon Export's "Default - One Row per Item" order format (version 5: the order
     * date's column is {@code date}), and of its default format, as its format definitions name their columns.
     */
    static final String PER_ITEM_HEADER = "order_id,order_number,date,status,shipping_total,shipping_tax_total,fee_total,fee_tax_total,"
            + "tax_total,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,customer_id,billing_first_name,"
            + "billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,"
            + "billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,"
            + "shipping_city,shipping_state,shipping_country,shipping_company,customer_note,item_id,item_product_id,item_name,item_sku,item_price,"
            + "item_quantity,item_subtotal,item_subtotal_tax,item_total,item_total_tax,item_refunded,item_refunded_qty,item_meta,shipping_items,"
            + "fee_items,tax_items,coupon_items,order_notes,download_permissions_granted";
    static final String DEFAULT_HEADER = "order_id,order_number,order_number_formatted,date,status,shipping_total,shipping_tax_total,"
            + "fee_total,fee_tax_total,tax_total,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,customer_id,"
            + "billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,billing_postcode,"
            + "billing_city,billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,"
            + "shipping_postcode,shipping_city,shipping_state,shipping_country,shipping_company,customer_note,line_items,shipping_items,fee_items,"
            + "tax_items,coupon_items,refunds,order_notes,download_permissions_granted";

    /**
     * The header of its "CSV Import" order format ({@code import}): the default format's columns under the REST API's
     * names, {@code line_items} and {@code refunds} as JSON.
     */
    static final String IMPORT_HEADER = "id,order_number,order_number_formatted,created_at,status,total,total_shipping,cart_tax,shipping_tax,"
            + "total_discount,total_refunded,payment_method,currency,customer_user,billing_first_name,billing_last_name,billing_email,"
            + "billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,billing_state,billing_country,billing_company,"
            + "shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,shipping_state,"
            + "shipping_country,shipping_company,note,line_items,shipping_lines,tax_lines,fee_lines,coupon_lines,refunds,order_notes,"
            + "download_permissions_granted";

    /** The header of its "Legacy - One Row per Item" order format, as its format definitions name the columns. */
    static final String LEGACY_PER_ITEM_HEADER = "Order ID,Date,Order Status,Shipping,Shipping Tax,Fees,Fee Tax,Tax,Discount Total,Order Total,"
            + "Payment Method,Shipping Method,Billing First Name,Billing Last Name,Billing Email,Billing Phone,Billing Address 1,Billing Address 2,"
            + "Billing Post code,Billing City,Billing State,Billing Country,Billing Company,Shipping First Name,Shipping Last Name,"
            + "Shipping Address 1,Shipping Address 2,Shipping Post code,Shipping City,Shipping State,Shipping Country,Shipping Company,"
            + "Customer Note,Item SKU,Item Name,Item Variation,Item Amount,Row Price,Download Permissions Granted,Order Notes,Coupons";

    /** The {@code values} of the columns of {@code header} (others empty), quoted as PHP's fputcsv quotes them. */
    static String csvRow(String header, Map<String, String> values) {
        return String.join(",", Arrays.stream(header.split(",")).map(column -> {
            String value = values.getOrDefault(column, "");
            return value.matches("(?s).*[,\"\n ].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
        }).toList());
    }

    /** A file of {@code header} and one row of each of {@code rows}. */
    static String file(String header, List<Map<String, String>> rows) {
        return header + "\n" + String.join("\n", rows.stream().map(row -> csvRow(header, row)).toList()) + "\n";
    }

    private WooOrderExports() {
    }
}
