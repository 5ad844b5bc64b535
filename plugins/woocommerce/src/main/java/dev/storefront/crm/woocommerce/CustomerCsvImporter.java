package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Customer exports of the WooCommerce Customer/Order/Coupon Export plugin: its default format and its legacy one
 * ({@code ID,First Name,Last Name,Email,Phone,Address,Address 2,Post code,City,State,Country,Company}, the billing
 * details under other names), told apart by their headers. Its {@code total_spent} and {@code order_count} are not
 * imported: the CRM computes each customer's metrics from the orders it holds. Guests have customer_id 0: no
 * WooCommerce id, so they are matched by email. Re-imports update by WooCommerce id, then email. The registration
 * date (default format only) is the store's local time ({@code crm.timezone}) unless it carries an offset.
 */
@Extension
public class CustomerCsvImporter implements CsvImporter {

    @Override
    public String name() {
        return "customers-csv";
    }

    @Override
    public String description() {
        return "WooCommerce customer export CSV, default (customer_id, billing_*) or legacy (ID, First Name, Last Name, Email, Phone, ...)"
                + " format; metrics come from imported orders";
    }

    @Override
    public ImportMapping defaultMapping() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce ID", "nullif(customer_id | ID, '0')");
        columns.put("Full Name", "billing_first_name + billing_last_name | first_name + last_name | \"First Name\" + \"Last Name\"");
        columns.put("First Name", "first_name | billing_first_name | \"First Name\"");
        columns.put("Last Name", "last_name | billing_last_name | \"Last Name\"");
        columns.put("Email", "billing_email | email");
        columns.put("Phone", "billing_phone | Phone");
        columns.put("Billing Company", "billing_company | Company");
        columns.put("Billing City", "billing_city | City");
        columns.put("Billing Country", "billing_country | Country");
        columns.put("Registered At", "local(date_registered | '')");
        return new ImportMapping("customers", List.of("woocommerce_id", "email"), columns);
    }
}
