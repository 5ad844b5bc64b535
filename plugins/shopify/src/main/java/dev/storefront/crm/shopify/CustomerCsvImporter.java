package dev.storefront.crm.shopify;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Shopify admin's customers export (Customers → Export), the current header and the older ones
 * (about 2022: {@code Company, City, Province Code, Country Code, Accepts Marketing}, no Customer ID).
 * Shopify writes a leading {@code '} on ids and phones so spreadsheets keep them as text; it is
 * removed. Customers are matched by email, then by Shopify customer id (a customer without email).
 */
@Extension
public class CustomerCsvImporter implements CsvImporter {

    @Override
    public String name() {
        return "customers-csv";
    }

    @Override
    public String description() {
        return "Shopify admin customers export CSV (Customer ID, First Name, Last Name, Email, Phone, Tags, Note; the order count and spend are left to the CRM, which computes them from orders)";
    }

    @Override
    public ImportMapping defaultMapping() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("Shopify Customer Id", "ltrim(\"Customer ID\" | '', '''')");
        columns.put("Full Name", "\"First Name\" + \"Last Name\"");
        columns.put("First Name", "\"First Name\"");
        columns.put("Last Name", "\"Last Name\"");
        columns.put("Email", "Email");
        columns.put("Phone", "ltrim(Phone | \"Default Address Phone\", '''')");
        columns.put("Accepts Marketing", "\"Accepts Email Marketing\" | \"Accepts Marketing\"");
        columns.put("Tags", "Tags");
        columns.put("Notes", "Note");
        return new ImportMapping("customers", List.of("email", "shopify_customer_id"), columns);
    }
}
