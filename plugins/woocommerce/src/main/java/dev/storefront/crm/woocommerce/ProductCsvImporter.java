package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * WooCommerce's own product export (Products → Export): one row per product and per variation, keyed
 * by WooCommerce id, then SKU, as the REST sync keys the products of order lines. The price is the
 * regular price (a sale price may be for a few days only); published products are Active, drafts and
 * private ones (0, -1) Draft; the categories are kept as WooCommerce writes them ({@code Clothing > Tshirts}).
 */
@Extension
public class ProductCsvImporter implements CsvImporter {

    @Override
    public String name() {
        return "products-csv";
    }

    @Override
    public String description() {
        return "WooCommerce product export CSV (ID, SKU, Name, Published, Regular price, Categories; variations too)";
    }

    @Override
    public ImportMapping defaultMapping() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce ID", "ID");
        columns.put("SKU", "SKU");
        columns.put("Name", "Name");
        columns.put("Price", "money(\"Regular price\")");
        columns.put("Category", "Categories");
        columns.put("Status", "pick(Published, '1' = 'Active', '0' = 'Draft', '-1' = 'Draft')");
        return new ImportMapping("products", List.of("woocommerce_id", "sku"), columns);
    }
}
