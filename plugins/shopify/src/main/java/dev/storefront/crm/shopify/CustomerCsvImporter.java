package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
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
 * removed. Customers are matched by email, then by shop and Shopify customer id ({@code shopify_key},
 * as the sync and webhooks key them; a customer without email), of the store of {@link CsvShop}. A row
 * with neither (an older export's customer without email) is matched by its export key, its phone else
 * its name and default address ({@code shopify_export_key}), so the same file imported again changes nothing. A row
 * with a Customer ID also links its customer to the store ({@link CustomerLinks}).
 */
@Extension
public class CustomerCsvImporter implements CsvImporter {

    private static final String ID = "ltrim(\"Customer ID\" | '', '''')";
    private static final String PHONE = "ltrim(Phone | \"Default Address Phone\", '''')";
    /** Who a row is without id, email or phone: its name and default address, in the older header's columns or the current ones. */
    private static final String PERSON = "\"First Name\" + \"Last Name\" + concat(Company | \"Default Address Company\" | '')"
            + " + concat(Address1 | \"Default Address Address1\" | '') + concat(City | \"Default Address City\" | '')"
            + " + concat(Zip | \"Default Address Zip\" | '') + concat(\"Country Code\" | \"Default Address Country Code\" | '')";

    private final CsvShop shop;

    public CustomerCsvImporter() {
        this(new CsvShop(null));
    }

    private CustomerCsvImporter(CsvShop shop) {
        this.shop = shop;
    }

    @Override
    public CsvImporter configured(PluginContext context) {
        return new CustomerCsvImporter(CsvShop.of(context));
    }

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
        columns.put("Shopify Customer Id", ID);
        shop.putKey(columns, "Customer", ID);
        columns.put("Full Name", "\"First Name\" + \"Last Name\"");
        columns.put("First Name", "\"First Name\"");
        columns.put("Last Name", "\"Last Name\"");
        columns.put("Email", "Email");
        columns.put("Phone", PHONE);
        columns.put("Accepts Marketing", MarketingConsent.mapping("\"Accepts Email Marketing\" | \"Accepts Marketing\""));
        // Exports before about 2022 have no SMS consent: the stored one is left.
        columns.put("Accepts SMS Marketing", MarketingConsent.mapping("\"Accepts SMS Marketing\" | ''"));
        columns.put("Tags", "Tags");
        columns.put("Notes", "Note");
        columns.put("Shopify Export Key", "unless(" + ID + " | Email, " + shop.exportKey("phone", PHONE) + " | " + shop.exportKey("name", PERSON) + ")");
        List<String> keys = List.of("email", shop.shop() == null ? "shopify_customer_id" : "shopify_key", "shopify_export_key");
        return new ImportMapping("customers", keys, columns);
    }

    /** Each row with a Customer ID links its customer to the store ({@link CustomerLinks}), once the store is known. */
    @Override
    public List<ImportMapping> moreMappings() {
        return shop.shop() == null ? List.of() : List.of(CustomerLinks.mapping(shop.key("Customer", ID), shop.shop()));
    }
}
