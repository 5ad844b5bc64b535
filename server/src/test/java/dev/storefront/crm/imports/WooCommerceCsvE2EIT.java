package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.plugins.Fixtures;
import dev.storefront.crm.plugins.PluginE2ESupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * WooCommerce CSV exports through {@code POST /imports/woocommerce:*}, with the real plugin jar: the
 * real-format customer export, every mapped value, idempotent re-import, the bad-row report, and
 * whole-file failures that write nothing.
 */
class WooCommerceCsvE2EIT extends PluginE2ESupport {

    private static String customerExport() throws Exception {
        return Files.readString(Fixtures.woocommerce("woocommerce_customer_export.csv"));
    }

    private static String ordersExport() throws Exception {
        return Files.readString(Path.of("src/test/resources/woocommerce/woocommerce_orders_export.csv"));
    }

    private Map<String, Object> importCsv(String importer, String csv, String query) throws Exception {
        return awaitJob(postImport(importer, csv, query));
    }

    /**
     * email → woocommerce id, full name, first name, phone, city, country, company, registered at. The export's
     * order_count and total_spent are not imported: the CRM computes its metrics from the orders it holds.
     */
    private static final Object[][] EXPECTED = {
            {"amelia.zhang@example.org", 64, "Amelia Zhang", "Amelia", "206-555-0175", "Seattle", "US", null, "2024-06-02T15:20:11Z"},
            {"jordan.blake@example.com", 87, "Jordan Blake", "Jordan", "(415) 555-0139", "San Francisco", "US", null, "2024-11-28T09:03:55Z"},
            {"sofia.ramirez@example.mx", 91, "Sofía Ramírez", "Sofía", "+52 55 5555 0142", "Ciudad de México", "MX", "Ramírez & Asociados, S.C.", "2025-01-15T12:30:48Z"},
            {"priya.raman@example.net", null, "Priya Raman", "Priya", "+1 512 555 0190", "Austin", "US", null, "2025-03-14T09:12:44Z"},
            {"mehmet.yilmaz@example.com.tr", 102, "Mehmet Yılmaz", "Mehmet", null, null, null, null, "2025-03-02T07:41:09Z"},
            {"siobhan.nibhriain@example.ie", 45, "Siobhán Ní Bhriain", "Siobhán", "+353 87 555 0123", "Galway", "IE", null, "2023-10-07T19:55:02Z"},
            {"buchhaltung@gross-soehne.example.de", 51, "Hans-Jürgen Groß", "Hans-Jürgen", "+49 30 5550 1234", "Berlin", "DE", "Groß & Söhne GmbH", "2023-12-01T08:00:00Z"},
            {"aiko.suzuki@example.jp", 58, "鈴木 愛子", "Aiko", "03-5555-0177", "東京", "JP", null, "2024-02-14T10:10:10Z"},
            {"marcus.oneill@example.com", 73, "Marcus O'Neill", "Marcus", "(312) 555-0166", "Chicago", "US", "=HYPERLINK(\"http://example.com\",\"click\")", "2024-04-20T16:45:31Z"},
            {"lea.dubois@example.fr", 79, "Léa Dubois", "Léa", "06 55 55 01 19", "Paris", "FR", null, "2024-07-09T13:13:13Z"},
            {"chinedu.okafor@example.ng", 96, "Chinedu Okafor", "Chinedu", "+234 803 555 0101", "Lagos", "NG", "Okafor \"Chi\" Ventures Ltd", "2025-02-03T21:30:00Z"},
            {"emma.larsson@example.se", 99, "Emma Larsson", "Emma", "070-555 01 23", "Stockholm", "SE", null, "2025-02-22T09:09:09Z"},
    };

    @Test
    void customerExportImportsEveryMappedValue() throws Exception {
        Map<String, Object> job = importCsv("woocommerce:customers-csv", customerExport(), null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 12).containsEntry("total", 12)
                .containsEntry("errorCount", 0).containsEntry("plugin", "woocommerce");
        assertThat((String) job.get("message")).startsWith("Imported 12 of 12 rows into customers");
        Map<String, Map<String, Object>> customers = customersByEmail();
        for (Object[] row : EXPECTED) {
            Map<String, Object> c = customers.get((String) row[0]);
            assertThat(c).as("customer %s", row[0]).isNotNull();
            assertThat(c.get("woocommerceId")).as("woocommerceId of %s", row[0]).isEqualTo(row[1]);
            assertThat(c.get("fullName")).as("fullName of %s", row[0]).isEqualTo(row[2]);
            assertThat(c.get("firstName")).as("firstName of %s", row[0]).isEqualTo(row[3]);
            assertThat(c.get("phone")).as("phone of %s", row[0]).isEqualTo(row[4]);
            assertThat(c.get("billingCity")).as("billingCity of %s", row[0]).isEqualTo(row[5]);
            assertThat(c.get("billingCountry")).as("billingCountry of %s", row[0]).isEqualTo(row[6]);
            assertThat(c.get("billingCompany")).as("billingCompany of %s", row[0]).isEqualTo(row[7]);
            assertThat(c.get("registeredAt")).as("registeredAt of %s", row[0]).isEqualTo(row[8]);
        }
        assertThat(customers.get("aiko.suzuki@example.jp")).containsEntry("lastName", "Suzuki");
        assertThat(customers.get("mehmet.yilmaz@example.com.tr")).containsEntry("lastName", "Yılmaz");
    }

    /**
     * The export's legacy customer format ({@code ID,First Name,Last Name,Email,Phone,Address,...}: the billing details
     * under other headers, no registration date), told apart by its header: the same fields; a guest (ID 0) has no
     * WooCommerce id. Re-imported unchanged, nothing changes.
     */
    @Test
    void legacyCustomerExportImportsTheSameFields() throws Exception {
        String legacy = """
                ID,First Name,Last Name,Email,Phone,Address,Address 2,Post code,City,State,Country,Company
                9401,Ingrid,Holm,ingrid.holm@example.no,+47 22 55 50 10,Karl Johans gate 1,,0154,Oslo,,NO,"Holm, Berg & Co AS"
                0,Per,Dahl,per.dahl@example.no,,"Storgata 2
                Leil. 3",,0155,Oslo,,NO,
                """;
        Map<String, Object> job = importCsv("woocommerce:customers-csv", legacy, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2).containsEntry("errorCount", 0);
        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers.get("ingrid.holm@example.no")).containsEntry("woocommerceId", 9401).containsEntry("fullName", "Ingrid Holm")
                .containsEntry("firstName", "Ingrid").containsEntry("lastName", "Holm").containsEntry("phone", "+47 22 55 50 10")
                .containsEntry("billingCity", "Oslo").containsEntry("billingCountry", "NO").containsEntry("billingCompany", "Holm, Berg & Co AS")
                .containsEntry("registeredAt", null);
        assertThat(customers.get("per.dahl@example.no")).containsEntry("woocommerceId", null).containsEntry("fullName", "Per Dahl")
                .containsEntry("phone", null).containsEntry("billingCity", "Oslo").containsEntry("billingCompany", null);
        assertThat((String) importCsv("woocommerce:customers-csv", legacy, null).get("message")).contains("0 created, 0 updated, 2 unchanged");
    }

    @Test
    void reImportUpdatesByWooCommerceIdAndNeverDuplicates() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        int before = customersByEmail().size();
        String changed = customerExport().replace("98101,Seattle,WA,US,Amelia", "98101,Tacoma,WA,US,Amelia");
        Map<String, Object> job = importCsv("woocommerce:customers-csv", changed, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        Map<String, Map<String, Object>> after = customersByEmail();
        assertThat(after).hasSize(before);
        assertThat(after.get("amelia.zhang@example.org")).containsEntry("billingCity", "Tacoma");
        importCsv("woocommerce:customers-csv", customerExport(), null);
        assertThat(customersByEmail()).hasSize(before);
    }

    @Test
    void badRowsAreSkippedAndReportedWithRowColumnValueAndReason() throws Exception {
        String header = customerExport().lines().findFirst().orElseThrow();
        String template = "%s,Test,Row%s,%s,\"%s\",Test,Row%s,,%s,206-555-0100,\"1 Main St\",,10001,\"New York\",NY,US,,,,,,,,,,%s,%s";
        List<String> rows = new ArrayList<>(List.of(header));
        rows.add(String.format(template, 9001, 1, "row1@example.com", "2025-01-01 10:00:00", 1, "row1@example.com", "10.00", "1"));
        rows.add(String.format(template, 9002, 2, "not-an-email", "2025-01-01 10:00:00", 2, "not-an-email", "10.00", "1"));
        rows.add(String.format(template, 9003, 3, "row3@example.com", "2024-13-45 10:00:00", 3, "row3@example.com", "10.00", "1"));
        rows.add(String.format(template, 9004, 4, "row4@example.com", "2025-01-01 10:00:00", 4, "row4@example.com", "12,50", "1"));
        rows.add(String.format(template, 9005, 5, "row5@example.com", "2025-01-01 10:00:00", 5, "row5@example.com", "10.00", "three"));
        rows.add(String.format(template, 9006, 6, "row6@example.com", "2025-01-01 10:00:00", 6, "row6@example.com", "60.00", "6"));
        // total_spent "12,50" must be quoted in CSV: re-quote that cell.
        rows.set(4, rows.get(4).replace(",12,50,", ",\"12,50\","));

        Map<String, Object> job = importCsv("woocommerce:customers-csv", String.join("\n", rows) + "\n", null);
        // order_count and total_spent are not imported, so their bad values (rows 4 and 5) do not matter.
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 6).containsEntry("errorCount", 2);
        assertThat((String) job.get("message")).contains("Imported 4 of 6 rows").contains("2 bad rows skipped");
        assertThat(errors(job)).containsExactly(
                List.of(2, "billing_email | email", "not-an-email", "email: is not a valid email address"),
                List.of(3, "date_registered", "2024-13-45 10:00:00", "registered_at: is not a date-time (ISO-8601, e.g. 2025-03-03T14:22:07Z)"));
        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers).containsKeys("row1@example.com", "row4@example.com", "row5@example.com", "row6@example.com")
                .doesNotContainKeys("row3@example.com");
        assertThat(customers.get("row6@example.com")).containsEntry("woocommerceId", 9006);
    }

    @Test
    void wholeFileProblemsFailTheJobAndWriteNothing() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        int before = customersByEmail().size();
        String semicolons = customerExport().lines().map(line -> line.replace(',', ';')).reduce((a, b) -> a + "\n" + b).orElseThrow()
                .replace("amelia.zhang@example.org", "semicolon@example.org");
        String comma = "delimiter=" + URLEncoder.encode(",", StandardCharsets.UTF_8);
        Map<String, Object> wrongDelimiter = importCsv("woocommerce:customers-csv", semicolons, comma);
        assertThat(wrongDelimiter).containsEntry("state", "FAILED").containsEntry("processed", 0);
        // Each missing column named once, though the mapping reads some of them for two fields; those of the default and
        // the legacy format both, as either would do (the registration date is optional: the legacy format has none).
        assertThat((String) wrongDelimiter.get("message")).startsWith("The file has no column 'customer_id', 'ID', 'billing_first_name',"
                + " 'billing_last_name', 'first_name', 'last_name', 'First Name', 'Last Name', 'billing_email', 'email', 'billing_phone', 'Phone',"
                + " 'billing_company', 'Company', 'billing_city', 'City', 'billing_country', 'Country' named by the mapping;")
                .contains("another delimiter");

        String withoutPhone = customerExport().replaceFirst("billing_phone", "phone_number")
                .replace("jordan.blake@example.com", "changed@example.com");
        Map<String, Object> missing = importCsv("woocommerce:customers-csv", withoutPhone, null);
        assertThat(missing).containsEntry("state", "FAILED");
        assertThat((String) missing.get("message")).contains("The file has no column 'billing_phone'");

        Map<String, Object> unreadable = importCsv("woocommerce:customers-csv", "customer_id,email\n1,\"unterminated\n", null);
        assertThat(unreadable).containsEntry("state", "FAILED").containsEntry("message", "Record 1, which starts on line 2, opens a"
                + " quote on line 2 that is never closed: the file may be cut off. Nothing was imported");

        assertThat(customersByEmail()).hasSize(before).doesNotContainKeys("semicolon@example.org", "changed@example.com");

        // Left to detection, or named, the delimiter is read right.
        Map<String, Object> detected = importCsv("woocommerce:customers-csv", semicolons, null);
        assertThat(detected).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat((String) detected.get("message")).endsWith("read as UTF-8, ';'-separated");
        Map<String, Object> named = importCsv("woocommerce:customers-csv", semicolons, "delimiter=" + URLEncoder.encode(";", StandardCharsets.UTF_8));
        assertThat(named).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(customersByEmail()).containsKey("semicolon@example.org");
        importCsv("woocommerce:customers-csv", customerExport(), null);
    }

    @Test
    void aMappingGivenInTheCallCombinesColumns() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        String mapping = "{\"WooCommerce ID\": \"customer_id\", \"Full Name\": \"last_name + ', ' + first_name\", \"Notes\": \"'Imported from WooCommerce'\"}";
        Map<String, Object> job = importCsv("woocommerce:customers-csv", customerExport(), "mapping=" + URLEncoder.encode(mapping, StandardCharsets.UTF_8));
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(customersByEmail().get("amelia.zhang@example.org")).containsEntry("fullName", "Zhang , Amelia");

        // The same as YAML in a multipart form.
        String yaml = "columns:\n  WooCommerce ID: customer_id\n  Full Name: billing_first_name + billing_last_name | first_name + last_name\n";
        String boundary = "crmboundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n" + yaml + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"customers.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + customerExport() + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> response = HttpClient.newHttpClient().send(E2ESupport.authorized(
                        URI.create("http://localhost:" + port + "/imports/woocommerce:customers-csv"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Map<String, Object> multipart = awaitJob((String) JSON.readValue(response.body(), Map.class).get("jobId"));
        assertThat(multipart).containsEntry("state", "SUCCEEDED");
        assertThat(customersByEmail().get("amelia.zhang@example.org")).containsEntry("fullName", "Amelia Zhang");

        // A mapping saved as YAML in crm.imports.mappings-dir replaces the importer's default.
        Path saved = MAPPINGS.resolve("woocommerce_customers-csv.yaml");
        Files.writeString(saved, "keys: [woocommerce_id]\ncolumns:\n  WooCommerce ID: customer_id\n  Full Name: first_name + 'from YAML'\n");
        try {
            assertThat(importCsv("woocommerce:customers-csv", customerExport(), null)).containsEntry("state", "SUCCEEDED");
            assertThat(customersByEmail().get("amelia.zhang@example.org")).containsEntry("fullName", "Amelia from YAML");
        } finally {
            Files.delete(saved);
        }
        importCsv("woocommerce:customers-csv", customerExport(), null);
        assertThat(customersByEmail().get("amelia.zhang@example.org")).containsEntry("fullName", "Amelia Zhang");
    }

    @Test
    @SuppressWarnings("unchecked")
    void orderExportLinksEachOrderToItsCustomerAndMapsStatuses() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        Map<String, Object> job = importCsv("woocommerce:orders-csv", ordersExport(), null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 4).containsEntry("errorCount", 0);
        Map<String, Map<String, Object>> orders = ordersByNumber();
        assertThat(orders.get("WC-5238")).containsEntry("woocommerceId", 5238).containsEntry("status", "FULFILLED")
                .containsEntry("woocommerceStatus", "completed").containsEntry("totalAmount", "113.82").containsEntry("currency", "USD")
                .containsEntry("paymentMethod", "ppcp-gateway").containsEntry("orderDate", "2025-03-12T18:40:02Z")
                .containsEntry("shippingAddress", "2100 Mission Street Unit 3 94110 San Francisco US");
        assertThat((Map<String, Object>) orders.get("WC-5238").get("customer")).containsEntry("email", "jordan.blake@example.com");
        assertThat((Map<String, Object>) orders.get("WC-5231").get("customer")).containsEntry("email", "amelia.zhang@example.org");
        assertThat(orders.get("WC-5231")).containsEntry("status", "CANCELLED");
        assertThat(orders.get("WC-5236")).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", "on-hold");
        // A guest checkout (customer_id 0) is linked by its billing email, as the REST sync links it.
        assertThat(orders.get("WC-5241")).containsEntry("status", "PENDING")
                .containsEntry("customer", Map.of("email", "priya.raman@example.net"));

        // A store's own status (Order Status Manager's wc-awaiting-shipment) is an open order, Pending, kept raw;
        // an empty one is left to the field's default. Bad rows: unknown customer, unparseable total, unparseable date.
        List<String> lines = new ArrayList<>(ordersExport().lines().toList());
        lines.set(1, lines.get(1).replace(",cancelled,", ",wc-awaiting-shipment,"));
        lines.set(2, lines.get(2).replace(",USD,bacs,Envío gratis,91,", ",USD,bacs,Envío gratis,999999,"));
        lines.set(3, lines.get(3).replace(",113.82,", ",113.82.1,"));
        lines.set(4, lines.get(4).replace("2025-03-14 09:12:44", "14/03/2025"));
        lines.add(lines.get(1).replace("5231,5231,", "5250,5250,").replace(",wc-awaiting-shipment,", ",,"));
        Map<String, Object> bad = importCsv("woocommerce:orders-csv", String.join("\n", lines) + "\n", null);
        assertThat(bad).containsEntry("state", "SUCCEEDED").containsEntry("processed", 5).containsEntry("errorCount", 3);
        List<List<Object>> errors = errors(bad);
        assertThat(errors).extracting(e -> e.get(0)).containsExactly(2, 3, 4);
        assertThat(errors.get(0)).containsExactly(2, "customer_id", "999999", "customer: no customers entry has woocommerce_id '999999'");
        assertThat(errors.get(1)).containsExactly(3, "order_total", "113.82.1", "total_amount: is not a number");
        assertThat(errors.get(2)).containsExactly(4, "order_date", "14/03/2025",
                "order_date: is not a date-time (ISO-8601, e.g. 2025-03-03T14:22:07Z)");
        Map<String, Map<String, Object>> after = ordersByNumber();
        assertThat(after.get("WC-5231")).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", "wc-awaiting-shipment");
        assertThat(after.get("WC-5250")).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", null);
        // The good data from before is untouched by the refused rows.
        assertThat(after.get("WC-5236")).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", "on-hold")
                .containsEntry("customer", Map.of("email", "sofia.ramirez@example.mx"));
        assertThat(after.get("WC-5238")).containsEntry("totalAmount", "113.82");
    }

    /**
     * As the REST sync does: a guest's order (customer_id 0 or empty) with a billing email is linked to the
     * customer of that email, created or updated from the billing details; without an email, to none.
     */
    @Test
    @SuppressWarnings("unchecked")
    void guestOrdersAreLinkedToTheCustomerOfTheirBillingEmail() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        String header = ordersExport().lines().findFirst().orElseThrow();
        Map<String, String> guest = Map.of("customer_id", "0", "billing_first_name", "Nora", "billing_last_name", "Quinn",
                "billing_company", "Quinn & Daughters Ltd", "billing_email", "Nora.Quinn@example.co.uk", "billing_phone", "+44 20 5555 0101",
                "billing_city", "London", "billing_country", "GB");
        List<String> rows = List.of(header,
                orderRow(header, 6001, guest),
                orderRow(header, 6002, with(guest, "customer_id", "")),
                orderRow(header, 6003, Map.of("customer_id", "0", "billing_first_name", "No", "billing_last_name", "Email")),
                orderRow(header, 6004, Map.of("customer_id", "87", "billing_email", "someone.else@example.com")));
        int customersBefore = customersByEmail().size();
        Map<String, Object> job = importCsv("woocommerce:orders-csv", String.join("\n", rows) + "\n", null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 4).containsEntry("errorCount", 0);
        assertThat((String) job.get("message")).startsWith("Imported 4 of 4 rows into orders and customers and order_items and returns; 0 bad rows skipped;"
                + " 5 created, 0 updated, 0 unchanged");

        Map<String, Map<String, Object>> orders = ordersByNumber();
        assertThat(orders.get("WC-6001").get("customer")).isEqualTo(Map.of("email", "nora.quinn@example.co.uk"));
        assertThat(orders.get("WC-6002").get("customer")).isEqualTo(Map.of("email", "nora.quinn@example.co.uk"));
        assertThat(orders.get("WC-6003").get("customer")).isNull();
        assertThat(orders.get("WC-6004").get("customer")).isEqualTo(Map.of("email", "jordan.blake@example.com"));
        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers).hasSize(customersBefore + 1);
        assertThat(customers.get("nora.quinn@example.co.uk")).containsEntry("woocommerceId", null).containsEntry("fullName", "Nora Quinn")
                .containsEntry("firstName", "Nora").containsEntry("lastName", "Quinn").containsEntry("phone", "+44 20 5555 0101")
                .containsEntry("billingCompany", "Quinn & Daughters Ltd").containsEntry("billingCity", "London")
                .containsEntry("billingCountry", "GB");

        // Re-imported unchanged: nothing is created or changed.
        Map<String, Object> again = importCsv("woocommerce:orders-csv", String.join("\n", rows) + "\n", null);
        assertThat((String) again.get("message")).contains("0 created, 0 updated, 5 unchanged");
        assertThat(customersByEmail()).hasSize(customersBefore + 1);

        // A later guest order of hers with her email alone leaves what she has; one with another phone changes just that.
        Map<String, String> emailOnly = Map.of("customer_id", "0", "billing_email", "nora.quinn@example.co.uk");
        assertThat(importCsv("woocommerce:orders-csv", header + "\n" + orderRow(header, 6005, emailOnly) + "\n", null))
                .containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(customersByEmail().get("nora.quinn@example.co.uk")).containsEntry("fullName", "Nora Quinn").containsEntry("firstName", "Nora")
                .containsEntry("lastName", "Quinn").containsEntry("phone", "+44 20 5555 0101").containsEntry("billingCompany", "Quinn & Daughters Ltd")
                .containsEntry("billingCity", "London").containsEntry("billingCountry", "GB");
        assertThat(importCsv("woocommerce:orders-csv", header + "\n" + orderRow(header, 6006, with(emailOnly, "billing_phone", "+44 20 5555 0199"))
                + "\n", null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(customersByEmail().get("nora.quinn@example.co.uk")).containsEntry("fullName", "Nora Quinn").containsEntry("phone", "+44 20 5555 0199")
                .containsEntry("billingCity", "London");
    }

    /**
     * An order's refunds ({@code refunded_total}; the export has no refund ids) become one return resolved by
     * Refund, linked to the order and its customer (a guest's too), so the customer's metrics net them as
     * they net the sync's refunds; a minus sign is dropped as the sync drops it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void refundedTotalsBecomeOneReturnPerOrderAndNetTheCustomersMetrics() throws Exception {
        String customers = customerExport().lines().findFirst().orElseThrow() + "\n"
                + "7001,Rafael,Costa,rafael.costa@example.pt,2024-05-05 10:00:00,Rafael,Costa,,rafael.costa@example.pt,,,,,Porto,,PT,"
                + ",,,,,,,,,0.00,0\n";
        assertThat(importCsv("woocommerce:customers-csv", customers, null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        String header = ordersExport().lines().findFirst().orElseThrow();
        Map<String, String> rafael = Map.of("customer_id", "7001", "billing_email", "rafael.costa@example.pt");
        String orders = String.join("\n", header,
                orderRow(header, 7101, with(with(rafael, "order_total", "100.00"), "refunded_total", "30.00")),
                orderRow(header, 7102, with(with(with(rafael, "order_total", "50.00"), "refunded_total", "50.00"), "status", "refunded")),
                orderRow(header, 7103, with(with(rafael, "order_total", "20.00"), "refunded_total", "0.00")),
                orderRow(header, 7104, Map.of("customer_id", "0", "billing_email", "ines.guest@example.pt", "order_total", "40.00",
                        "refunded_total", "-15.00"))) + "\n";
        Map<String, Object> job = importCsv("woocommerce:orders-csv", orders, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 4).containsEntry("errorCount", 0);
        assertThat((String) job.get("message")).startsWith("Imported 4 of 4 rows into orders and customers and order_items and returns; 0 bad rows skipped;"
                + " 8 created, 0 updated, 0 unchanged");

        assertThat(refundedTotals("71")).containsExactly("7101|30.00|REFUND|CLOSED|WC-7101|rafael.costa@example.pt",
                "7102|50.00|REFUND|CLOSED|WC-7102|rafael.costa@example.pt", "7104|15.00|REFUND|CLOSED|WC-7104|ines.guest@example.pt");
        Map<String, Map<String, Object>> metrics = customersByEmail();
        assertThat(metrics.get("rafael.costa@example.pt")).containsEntry("totalOrders", 3).containsEntry("lifetimeValue", "90.00");
        assertThat(metrics.get("ines.guest@example.pt")).containsEntry("totalOrders", 1).containsEntry("lifetimeValue", "25.00");

        // Re-imported unchanged: nothing changes, no return is added.
        assertThat((String) importCsv("woocommerce:orders-csv", orders, null).get("message")).contains("0 created, 0 updated, 8 unchanged");
        assertThat(refundedTotals("71")).hasSize(3);
    }

    /**
     * The export's {@code line_items} cell (items joined by {@code ;}, fields {@code key:value} joined by {@code |},
     * {@code \\: \\| \\;} escaped) becomes order items, linked to the product of that WooCommerce id, else of that
     * SKU, when the CRM holds one; an export whose items carry no id keys them by order and SKU. The {@code refunds}
     * cell becomes one return per refund, keyed by refund id, and no refunded-total return beside them. A record
     * with several bad values (its order's and its items') is reported once, naming each, with its record and line.
     */
    @Test
    @SuppressWarnings("unchecked")
    void lineItemsAndRefundsCellsImportOneEntryEach() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        Map<String, Object> products = importCsv("csv:products", """
                WooCommerce ID,SKU,Name
                8301,woo-hoodie-8301,Hoodie
                ,woo-beanie-8302,Beanie
                8303,,Gift Card
                """, null);
        assertThat(products).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        String header = ordersExport().lines().findFirst().orElseThrow() + ",shipping_items,refunds";
        String hoodie = "id:8501|name:Hoodie - Blue, M|product_id:8301|sku:woo-hoodie-8301|quantity:2|subtotal:80.00|subtotal_tax:0.00"
                + "|total:76.50|total_tax:0.00|refunded:0.00|refunded_qty:0|meta:Size=M";
        // Product 8999 is not in the CRM: linked by its SKU.
        String beanie = "id:8502|name:Beanie|product_id:8999|sku:woo-beanie-8302|quantity:1|subtotal:15.30|total:15.30|meta:";
        String giftCard = "id:8503|name:Gift Card\\: 50\\; birthday|product_id:8303|sku:|quantity:1|total:50.00|meta:";
        // A deleted product: id 0, SKU unknown_product.
        String mug = "id:8504|name:Old Mug|product_id:0|sku:unknown_product|quantity:3|total:30.00|meta:";
        String orders = String.join("\n", header,
                orderRow(header, 8101, Map.of("customer_id", "87", "order_total", "171.80", "refunded_total", "21.41",
                        "line_items", String.join(";", hoodie, beanie, giftCard, mug),
                        "refunds", "id:8601|date:2025-04-02 09:30:00|amount:16.41|reason:Damaged\\: seam;id:8602|date:2025-04-03 23:10:00|amount:5.00|reason:")),
                orderRow(header, 8102, Map.of("customer_id", "64", "order_total", "20.00", "customer_note", "Ring twice,\nthen wait",
                        "line_items", "name:Visor|sku:woo-visor-8102|quantity:1|total:20.00")),
                orderRow(header, 8103, Map.of("customer_id", "64", "order_total", "9x",
                        "line_items", "id:8511|name:Scarf|product_id:0|sku:woo-scarf|quantity:two|total:12.00;"
                                + "id:8512|name:Gloves|product_id:0|sku:|quantity:1|total:abc"))) + "\n";
        Map<String, Object> job = importCsv("woocommerce:orders-csv", orders, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 3).containsEntry("errorCount", 1);
        assertThat((String) job.get("message")).startsWith("Imported 2 of 3 rows into orders and customers and order_items and returns;"
                + " 1 bad rows skipped; 9 created, 0 updated, 0 unchanged");
        assertThat(errors(job)).containsExactly(List.of(3, "order_total; line_items (quantity); line_items", "9x; two; abc",
                "total_amount: is not a number; quantity: is not a whole number; unit_price: is not a number"));
        // Record 3 starts on line 5: record 2's note spans two lines.
        assertThat(run("query($id: ID!) { job(id: $id) { errors { line } } }", Map.of("id", job.get("id"))).path("job.errors[0].line")
                .entity(Integer.class).get()).isEqualTo(5);

        List<String> items = allNodes("orderItems", "woocommerceId woocommerceLineKey productName sku quantity unitPrice"
                + " order { orderNumber } product { name }").stream()
                .filter(i -> ((String) ((Map<String, Object>) i.get("order")).get("orderNumber")).matches("WC-810[1-3]"))
                .map(i -> i.get("woocommerceId") + "|" + i.get("woocommerceLineKey") + "|" + ((Map<String, Object>) i.get("order")).get("orderNumber")
                        + "|" + i.get("productName") + "|" + i.get("sku") + "|" + i.get("quantity") + "|" + i.get("unitPrice") + "|"
                        + (i.get("product") == null ? null : ((Map<String, Object>) i.get("product")).get("name")))
                .sorted().toList();
        assertThat(items).containsExactly(
                "8501|null|WC-8101|Hoodie - Blue, M|woo-hoodie-8301|2|38.25|Hoodie",
                "8502|null|WC-8101|Beanie|woo-beanie-8302|1|15.30|Beanie",
                "8503|null|WC-8101|Gift Card: 50; birthday|null|1|50.00|Gift Card",
                "8504|null|WC-8101|Old Mug|null|3|10.00|null",
                "null|8102/woo-visor-8102|WC-8102|Visor|woo-visor-8102|1|20.00|null");
        List<String> returns = allNodes("returns", "woocommerceId woocommerceRefundedOrder amount reason returnDate resolution status"
                + " order { orderNumber } customer { email }").stream()
                .filter(r -> r.get("order") != null && "WC-8101".equals(((Map<String, Object>) r.get("order")).get("orderNumber")))
                .map(r -> r.get("woocommerceId") + "|" + r.get("woocommerceRefundedOrder") + "|" + r.get("amount") + "|" + r.get("reason") + "|"
                        + r.get("returnDate") + "|" + r.get("resolution") + "|" + r.get("status") + "|" + ((Map<String, Object>) r.get("customer")).get("email"))
                .sorted().toList();
        // The first refund (lowest id) also holds the order's id, as the sync's does: the key of a refunded-total return.
        assertThat(returns).containsExactly("8601|8101|16.41|Damaged: seam|2025-04-02|REFUND|CLOSED|jordan.blake@example.com",
                "8602|null|5.00|null|2025-04-03|REFUND|CLOSED|jordan.blake@example.com");

        // Re-imported unchanged: nothing is created or changed, the bad record reported once again.
        Map<String, Object> again = importCsv("woocommerce:orders-csv", orders, null);
        assertThat((String) again.get("message")).contains("0 created, 0 updated, 9 unchanged");
        assertThat(again).containsEntry("errorCount", 1);
    }

    /** One line item of an order in the one-row-per-item export: its id, product id, name, SKU, quantity and line total. */
    private record ItemRow(Map<String, String> order, String id, String productId, String name, String sku, int quantity, String total) {

        Map<String, String> row() {
            Map<String, String> row = new java.util.HashMap<>(order);
            row.putAll(Map.of("item_id", id, "item_product_id", productId, "item_name", name, "item_sku", sku,
                    "item_quantity", String.valueOf(quantity), "item_total", total, "item_subtotal", total));
            return row;
        }

        /** The {@code line_items} cell's item of the default format: the same fields, {@code : | ;} escaped. */
        String cellItem() {
            return "id:" + id + "|name:" + name.replace(":", "\\:").replace("|", "\\|").replace(";", "\\;") + "|product_id:" + productId
                    + "|sku:" + sku + "|quantity:" + quantity + "|total:" + total;
        }

        /** What the CRM stores of it: order items keyed by item id, unit price = total / quantity, no SKU for a deleted product. */
        String stored(String productName) {
            String unit = new java.math.BigDecimal(total).divide(java.math.BigDecimal.valueOf(quantity), 2, java.math.RoundingMode.HALF_UP).toPlainString();
            return id + "|WC-" + order.get("order_id") + "|" + name + "|" + ("unknown_product".equals(sku) || sku.isEmpty() ? null : sku) + "|"
                    + quantity + "|" + unit + "|" + productName;
        }
    }

    /**
     * The export's one-row-per-item format: one order per order id with all its items (the order's columns repeated on
     * each row), customers linked as the other format links them (a guest by billing email, with a quoted multi-line
     * note), items keyed by item id and linked to their product by id, else SKU (a deleted product's
     * {@code unknown_product} to none), the refunded total as one return. Re-imported unchanged, or the same orders
     * in the default format, nothing is created or changed.
     */
    @Test
    @SuppressWarnings("unchecked")
    void oneRowPerItemExportImportsEachOrderOnceWithAllItsItems() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        assertThat(importCsv("csv:products", "WooCommerce ID,SKU,Name\n9301,woo-scarf-9301,Scarf\n9302,woo-mitts-9302,Mittens\n", null))
                .containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        Map<String, String> jordan = new java.util.HashMap<>(Map.of("order_id", "9201", "order_number", "9201", "date", "2025-05-02 14:05:09",
                "status", "completed", "order_total", "62.50", "refunded_total", "0.00", "order_currency", "USD", "payment_method", "stripe",
                "customer_id", "87", "billing_email", "jordan.blake@example.com"));
        jordan.putAll(Map.of("shipping_address_1", "2100 Mission Street", "shipping_city", "San Francisco"));
        Map<String, String> guest = new java.util.HashMap<>(Map.of("order_id", "9202", "order_number", "9202", "date", "2025-05-03 08:00:00",
                "status", "processing", "order_total", "23.90", "refunded_total", "0.00", "order_currency", "EUR", "customer_id", "0",
                "billing_email", "lena.vogel@example.de", "customer_note", "Bitte klingeln,\n\"Hinterhaus\", 2. Stock"));
        guest.putAll(Map.of("billing_first_name", "Lena", "billing_last_name", "Vogel", "billing_phone", "+49 40 5555 0199",
                "billing_city", "Hamburg", "billing_country", "DE"));
        Map<String, String> amelia = Map.of("order_id", "9203", "order_number", "9203", "date", "2025-05-04 19:30:00", "status", "processing",
                "order_total", "45.00", "refunded_total", "12.00", "order_currency", "USD", "customer_id", "64",
                "billing_email", "amelia.zhang@example.org");
        List<ItemRow> items = List.of(
                new ItemRow(jordan, "9211", "9301", "Scarf", "woo-scarf-9301", 2, "40.00"),
                new ItemRow(jordan, "9212", "0", "Old Mug", "unknown_product", 3, "22.50"),
                new ItemRow(guest, "9221", "9302", "Mittens", "woo-mitts-9302", 1, "18.00"),
                // Product 9999 is not in the CRM: linked by its SKU.
                new ItemRow(amelia, "9231", "9999", "Scarf", "woo-scarf-9301", 1, "20.00"),
                new ItemRow(amelia, "9232", "0", "Gift Wrap, red", "", 1, "25.00"));
        String perItem = WooOrderExports.file(WooOrderExports.PER_ITEM_HEADER, items.stream().map(ItemRow::row).toList());

        Map<String, Object> job = importCsv("woocommerce:orders-per-item-csv", perItem, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", items.size()).containsEntry("errorCount", 0);
        // 3 orders, 1 guest customer, 5 items, 1 return.
        assertThat((String) job.get("message")).contains("10 created, 0 updated, ");

        Map<String, Map<String, Object>> orders = ordersByNumber();
        for (Map<String, String> order : List.of(jordan, guest, amelia)) {
            String status = order.get("status").equals("completed") ? "FULFILLED" : "PENDING";
            assertThat(orders.get("WC-" + order.get("order_id"))).containsEntry("woocommerceId", Integer.valueOf(order.get("order_id")))
                    .containsEntry("status", status).containsEntry("woocommerceStatus", order.get("status"))
                    .containsEntry("totalAmount", order.get("order_total")).containsEntry("currency", order.get("order_currency"))
                    .containsEntry("orderDate", order.get("date").replace(' ', 'T') + "Z")
                    .containsEntry("customer", Map.of("email", order.get("billing_email")));
        }
        assertThat(orders.get("WC-9201")).containsEntry("paymentMethod", "stripe").containsEntry("shippingAddress", "2100 Mission Street San Francisco");
        // Each item's product, found by its id or else its SKU: the products imported above by SKU (their ids agree).
        Map<String, String> productsBySku = Map.of("woo-scarf-9301", "Scarf", "woo-mitts-9302", "Mittens");
        assertThat(perItemOrderItems()).containsExactlyElementsOf(items.stream().map(i -> i.stored(productsBySku.get(i.sku()))).sorted().toList());
        assertThat(refundedTotals("92")).containsExactly("9203|12.00|REFUND|CLOSED|WC-9203|amelia.zhang@example.org");
        Map<String, Object> lena = customersByEmail().get("lena.vogel@example.de");
        assertThat(lena).containsEntry("woocommerceId", null).containsEntry("fullName", "Lena Vogel").containsEntry("phone", "+49 40 5555 0199")
                .containsEntry("billingCity", "Hamburg").containsEntry("billingCountry", "DE").containsEntry("totalOrders", 1)
                .containsEntry("lifetimeValue", "23.90");

        // Re-imported unchanged: nothing is created or changed, no entry's updated_at moves.
        List<Map<String, Object>> stamps = perItemUpdatedAts();
        Map<String, Object> again = importCsv("woocommerce:orders-per-item-csv", perItem, null);
        assertThat((String) again.get("message")).contains("0 created, 0 updated, ");
        // The same orders in the export's default format (items in a cell): the same entries, nothing changes.
        Map<String, List<ItemRow>> byOrder = new java.util.LinkedHashMap<>();
        items.forEach(i -> byOrder.computeIfAbsent(i.order().get("order_id"), k -> new ArrayList<>()).add(i));
        String oneRowPerOrder = WooOrderExports.file(WooOrderExports.DEFAULT_HEADER, byOrder.values().stream().map(lines -> {
            Map<String, String> row = new java.util.HashMap<>(lines.get(0).order());
            row.put("line_items", String.join(";", lines.stream().map(ItemRow::cellItem).toList()));
            return (Map<String, String>) row;
        }).toList());
        Map<String, Object> other = importCsv("woocommerce:orders-csv", oneRowPerOrder, null);
        assertThat(other).containsEntry("state", "SUCCEEDED").containsEntry("processed", 3).containsEntry("errorCount", 0);
        assertThat((String) other.get("message")).contains("0 created, 0 updated, ");
        assertThat(perItemUpdatedAts()).isEqualTo(stamps);
        assertThat(perItemOrderItems()).hasSize(items.size());
        assertThat(refundedTotals("92")).hasSize(1);
    }

    /**
     * The export's legacy one-row-per-item format (legacy headers, no customer id, order number, currency, refunds, item
     * or product ids): one order per order id with all its items, each order linked to the customer of its billing
     * email (created from the billing details), items keyed by order and SKU (else name) and linked by SKU.
     * Re-imported unchanged, nothing is created or changed.
     */
    @Test
    @SuppressWarnings("unchecked")
    void legacyOneRowPerItemExportImportsEachOrderOnceLinkedByBillingEmail() throws Exception {
        assertThat(importCsv("csv:products", "SKU,Name\nwoo-legacy-9311,Wool Socks\n", null)).containsEntry("state", "SUCCEEDED");
        Map<String, String> oskar = new java.util.HashMap<>(Map.of("Order ID", "9301", "Date", "2025-06-01 12:00:00", "Order Status", "completed",
                "Order Total", "47.00", "Payment Method", "stripe", "Billing First Name", "Oskar", "Billing Last Name", "Lind",
                "Billing Email", "oskar.lind@example.se", "Billing City", "Malmö", "Billing Country", "SE"));
        oskar.putAll(Map.of("Billing Phone", "+46 40 555 01 23", "Customer Note", "Lämna vid dörren,\ntack", "Shipping Address 1", "Storgatan 1",
                "Shipping City", "Malmö", "Shipping Country", "SE"));
        Map<String, String> mia = Map.of("Order ID", "9302", "Date", "2025-06-02 09:15:00", "Order Status", "on-hold", "Order Total", "15.00",
                "Billing First Name", "Mia", "Billing Last Name", "Berg", "Billing Email", "mia.berg@example.se");
        List<Map<String, String>> rows = List.of(
                with(with(with(with(oskar, "Item SKU", "woo-legacy-9311"), "Item Name", "Wool Socks"), "Item Amount", "2"), "Row Price", "24.00"),
                with(with(with(with(oskar, "Item SKU", ""), "Item Name", "Gift Card"), "Item Amount", "1"), "Row Price", "23.00"),
                with(with(with(with(mia, "Item SKU", "woo-legacy-9312"), "Item Name", "Hat"), "Item Amount", "1"), "Row Price", "15.00"));
        String legacy = WooOrderExports.file(WooOrderExports.LEGACY_PER_ITEM_HEADER, rows);

        Map<String, Object> job = importCsv("woocommerce:orders-legacy-per-item-csv", legacy, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", rows.size()).containsEntry("errorCount", 0);
        // 2 orders, 2 customers, 3 items.
        assertThat((String) job.get("message")).contains("7 created, 0 updated, ");
        Map<String, Map<String, Object>> orders = ordersByNumber();
        for (Map<String, String> order : List.of(oskar, mia)) {
            assertThat(orders.get("WC-" + order.get("Order ID"))).containsEntry("woocommerceId", Integer.valueOf(order.get("Order ID")))
                    .containsEntry("status", order.get("Order Status").equals("completed") ? "FULFILLED" : "PENDING")
                    .containsEntry("woocommerceStatus", order.get("Order Status")).containsEntry("totalAmount", order.get("Order Total"))
                    .containsEntry("orderDate", order.get("Date").replace(' ', 'T') + "Z")
                    .containsEntry("customer", Map.of("email", order.get("Billing Email")));
        }
        assertThat(orders.get("WC-9301")).containsEntry("paymentMethod", "stripe").containsEntry("shippingAddress", "Storgatan 1 Malmö SE");
        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers.get("oskar.lind@example.se")).containsEntry("fullName", "Oskar Lind").containsEntry("phone", "+46 40 555 01 23")
                .containsEntry("billingCity", "Malmö").containsEntry("billingCountry", "SE").containsEntry("totalOrders", 1)
                .containsEntry("lifetimeValue", "47.00");
        assertThat(customers.get("mia.berg@example.se")).containsEntry("fullName", "Mia Berg").containsEntry("totalOrders", 1);
        List<String> items = allNodes("orderItems", "woocommerceId woocommerceLineKey productName sku quantity unitPrice order { orderNumber }"
                + " product { name }").stream()
                .filter(i -> ((String) ((Map<String, Object>) i.get("order")).get("orderNumber")).matches("WC-930\\d"))
                .map(i -> i.get("woocommerceId") + "|" + i.get("woocommerceLineKey") + "|" + i.get("productName") + "|" + i.get("sku") + "|"
                        + i.get("quantity") + "|" + i.get("unitPrice") + "|"
                        + (i.get("product") == null ? null : ((Map<String, Object>) i.get("product")).get("name")))
                .sorted().toList();
        assertThat(items).containsExactly("null|9301/Gift Card|Gift Card|null|1|23.00|null",
                "null|9301/woo-legacy-9311|Wool Socks|woo-legacy-9311|2|12.00|Wool Socks",
                "null|9302/woo-legacy-9312|Hat|woo-legacy-9312|1|15.00|null");

        Map<String, Object> again = importCsv("woocommerce:orders-legacy-per-item-csv", legacy, null);
        assertThat((String) again.get("message")).contains("0 created, 0 updated, ");
    }

    /**
     * The one-row-per-item export writes each order once, from its last row (by record, wherever its rows stand in the
     * file): an order's values that differ between its rows are the last row's; a bad value on an earlier row of an
     * order (a total, a guest's phone) is reported with that row, and the order is still written from its last; every
     * row is still one item. The order's refunded total is one return.
     */
    @Test
    void perItemExportWritesEachOrderFromItsLastRow() throws Exception {
        Map<String, String> nora = Map.of("order_id", "9501", "order_number", "9501", "date", "2025-07-01 10:00:00", "customer_id", "0",
                "billing_first_name", "Nora", "billing_last_name", "Falk", "billing_email", "nora.falk@example.se", "order_currency", "SEK");
        Map<String, String> ola = with(Map.of("order_id", "9502", "order_number", "9502", "date", "2025-07-02 11:00:00", "customer_id", "0",
                "billing_first_name", "Ola", "billing_last_name", "Nordmann", "billing_email", "ola.nordmann@example.no", "status", "refunded",
                "order_total", "30.00", "refunded_total", "30.00"), "order_currency", "NOK");
        List<Map<String, String>> rows = List.of(
                item(with(with(with(nora, "status", "processing"), "order_total", "4O.00"), "billing_phone", "call me"), "9601", "Mug", "2", "20.00"),
                item(ola, "9611", "Cap", "1", "10.00"),
                item(with(with(nora, "status", "on-hold"), "order_total", "50.00"), "9602", "Plate", "1", "15.00"),
                item(ola, "9612", "Scarf", "1", "20.00"),
                item(with(with(with(nora, "status", "completed"), "order_total", "60.00"), "billing_phone", "+46 8 555 010 10"), "9603", "Bowl", "5",
                        "25.00"));
        Map<String, Object> job = importCsv("woocommerce:orders-per-item-csv", WooOrderExports.file(WooOrderExports.PER_ITEM_HEADER, rows), null);
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("processed", rows.size()).containsEntry("errorCount", 1);
        assertThat(errors(job)).containsExactly(List.of(1, "billing_phone | ''; order_total", "call me; 4O.00",
                "phone: is not a valid phone number (7 to 15 digits, optional +, spaces, - ( ) .); total_amount: is not a number"));
        // 2 guest customers, 2 orders, 5 items, 1 return.
        assertThat((String) job.get("message")).contains("10 created, 0 updated, ");
        Map<String, Map<String, Object>> orders = ordersByNumber();
        assertThat(orders.get("WC-9501")).containsEntry("status", "FULFILLED").containsEntry("woocommerceStatus", "completed")
                .containsEntry("totalAmount", "60.00").containsEntry("currency", "SEK").containsEntry("customer", Map.of("email", "nora.falk@example.se"));
        assertThat(orders.get("WC-9502")).containsEntry("status", "REFUNDED").containsEntry("totalAmount", "30.00")
                .containsEntry("customer", Map.of("email", "ola.nordmann@example.no"));
        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers.get("nora.falk@example.se")).containsEntry("fullName", "Nora Falk").containsEntry("phone", "+46 8 555 010 10")
                .containsEntry("totalOrders", 1).containsEntry("lifetimeValue", "60.00");
        assertThat(customers.get("ola.nordmann@example.no")).containsEntry("totalOrders", 1).containsEntry("lifetimeValue", "0.00");
        assertThat(refundedTotals("950")).containsExactly("9502|30.00|REFUND|CLOSED|WC-9502|ola.nordmann@example.no");
        assertThat(allNodes("orderItems", "woocommerceId unitPrice order { orderNumber }").stream()
                .filter(i -> ((Map<?, ?>) i.get("order")).get("orderNumber").toString().matches("WC-950\\d"))
                .map(i -> i.get("woocommerceId") + "|" + ((Map<?, ?>) i.get("order")).get("orderNumber") + "|" + i.get("unitPrice")).sorted())
                .containsExactly("9601|WC-9501|10.00", "9602|WC-9501|15.00", "9603|WC-9501|5.00", "9611|WC-9502|10.00", "9612|WC-9502|20.00");
    }

    /** An order row of the one-row-per-item export with its item. */
    private static Map<String, String> item(Map<String, String> order, String id, String name, String quantity, String total) {
        return with(with(with(with(order, "item_id", id), "item_name", name), "item_quantity", quantity), "item_total", total);
    }

    /**
     * The legacy one-row-per-item export writes WooCommerce's status labels (as its admin shows them, any case): each
     * core label is its status; a label that is none of them nor a CRM status (a translated one: "Storniert" is
     * cancelled) refuses its order, reported by its column and value, rather than being guessed. woocommerce_status keeps
     * the label as written.
     */
    @Test
    void legacyOneRowPerItemExportMapsStatusLabels() throws Exception {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("Pending payment", "PENDING");
        labels.put("Processing", "PENDING");
        labels.put("On hold", "PENDING");
        labels.put("On Hold", "PENDING");
        labels.put("Completed", "FULFILLED");
        labels.put("Cancelled", "CANCELLED");
        labels.put("Refunded", "REFUNDED");
        labels.put("Failed", "CANCELLED");
        labels.put("Draft", "PENDING");
        labels.put("wc-completed", "FULFILLED");
        labels.put("Shipped", "SHIPPED");
        List<Map<String, String>> rows = new ArrayList<>();
        int id = 9520;
        for (String label : labels.keySet()) {
            rows.add(legacyRow(++id, label));
        }
        rows.add(legacyRow(9540, "Storniert"));
        Map<String, Object> job = importCsv("woocommerce:orders-legacy-per-item-csv", WooOrderExports.file(WooOrderExports.LEGACY_PER_ITEM_HEADER,
                rows), null);
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("processed", rows.size()).containsEntry("errorCount", 1);
        assertThat(errors(job)).containsExactly(List.of(rows.size(), "Order Status; Order ID", "Storniert; 9540",
                "status: is not one of the options: Pending, Fulfilled, Shipped, Delivered, Returned, Refunded, Cancelled; order: no orders entry has woocommerce_id '9540'"));
        Map<String, Map<String, Object>> orders = ordersByNumber();
        id = 9520;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            assertThat(orders.get("WC-" + ++id)).as(label.getKey()).containsEntry("status", label.getValue()).containsEntry("woocommerceStatus", label.getKey());
        }
        assertThat(orders).doesNotContainKey("WC-9540");
    }

    /** A one-item order of the legacy one-row-per-item export with status {@code label}, total 10.00. */
    private static Map<String, String> legacyRow(int id, String label) {
        return with(Map.of("Order ID", String.valueOf(id), "Date", "2025-08-01 09:00:00", "Order Status", label, "Order Total", "10.00",
                "Billing First Name", "Lina", "Billing Last Name", "Ek", "Billing Email", "lina.ek@example.se", "Item Name", "Tea",
                "Item Amount", "1"), "Row Price", "10.00");
    }

    /**
     * The export's "CSV Import" format: the default format's columns under the REST API's names, its line items and
     * refunds as JSON arrays as PHP's json_encode writes them (non-ASCII letters escaped, a quote in a name as
     * {@code &quot;}, an order without refunds {@code []}): the same orders, guest customers, items (keyed by item id,
     * a deleted product's SKU {@code unknown_product} left out) and refunds (keyed by refund id, the lowest also by the
     * order) as the default format gives. Re-imported unchanged, nothing changes.
     */
    @Test
    void importFormatReadsItsJsonCells() throws Exception {
        Map<String, String> tove = with(Map.of("id", "9701", "order_number", "9701", "created_at", "2025-09-01 12:00:00", "status", "completed",
                "total", "45.00", "total_refunded", "12.00", "currency", "SEK", "customer_user", "0", "billing_first_name", "Tove",
                "billing_last_name", "Berg"), "billing_email", "tove.berg@example.se");
        tove.put("line_items", "[{\"id\":9711,\"name\":\"Caf\\u00e9 Mug\",\"product_id\":0,\"sku\":\"unknown_product\",\"quantity\":2,"
                + "\"subtotal\":\"20.00\",\"subtotal_tax\":\"0.00\",\"total\":\"20.00\",\"total_tax\":\"0.00\",\"refunded\":\"5.00\","
                + "\"refunded_qty\":-1,\"meta\":[],\"tax_data\":{\"total\":[],\"subtotal\":[]}},{\"id\":9712,\"name\":\"Plate &quot;Blue&quot;\","
                + "\"product_id\":9799,\"sku\":\"woo-plate-9712\",\"quantity\":1,\"subtotal\":\"25.00\",\"total\":\"25.00\",\"meta\":{\"Colour\":\"Blue\"}}]");
        tove.put("refunds", "[{\"id\":9731,\"date\":\"2025-09-03 10:00:00\",\"amount\":\"5.00\",\"reason\":\"Chipped\",\"line_items\":"
                + "[{\"refunded_item_id\":9711,\"refund_total\":5,\"refund_tax\":[],\"qty\":-1}]},{\"id\":9730,\"date\":\"2025-09-02 09:00:00\","
                + "\"amount\":\"7.00\",\"reason\":\"Late\",\"line_items\":[]}]");
        Map<String, String> arvid = with(Map.of("id", "9702", "created_at", "2025-09-04 08:30:00", "status", "processing", "total", "10.00",
                "total_refunded", "0.00", "currency", "SEK", "customer_user", "0", "billing_first_name", "Arvid", "billing_last_name", "Ek",
                "billing_email", "arvid.ek@example.se"), "refunds", "[]");
        arvid.put("line_items", "[{\"id\":9713,\"name\":\"Tea\",\"product_id\":9798,\"sku\":\"woo-tea-9713\",\"quantity\":1,\"total\":\"10.00\"}]");
        String file = WooOrderExports.file(WooOrderExports.IMPORT_HEADER, List.of(tove, arvid));

        Map<String, Object> job = importCsv("woocommerce:orders-import-csv", file, null);
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2).containsEntry("errorCount", 0);
        // 2 guest customers, 2 orders, 3 items, 2 returns.
        assertThat((String) job.get("message")).contains("9 created, 0 updated, ");
        Map<String, Map<String, Object>> orders = ordersByNumber();
        assertThat(orders.get("WC-9701")).containsEntry("woocommerceId", 9701).containsEntry("status", "FULFILLED")
                .containsEntry("woocommerceStatus", "completed").containsEntry("totalAmount", "45.00").containsEntry("currency", "SEK")
                .containsEntry("orderDate", "2025-09-01T12:00:00Z").containsEntry("customer", Map.of("email", "tove.berg@example.se"));
        assertThat(orders.get("WC-9702")).containsEntry("status", "PENDING").containsEntry("totalAmount", "10.00")
                .containsEntry("customer", Map.of("email", "arvid.ek@example.se"));
        assertThat(allNodes("orderItems", "woocommerceId productName sku quantity unitPrice order { orderNumber }").stream()
                .filter(i -> ((Map<?, ?>) i.get("order")).get("orderNumber").toString().matches("WC-970\\d"))
                .map(i -> i.get("woocommerceId") + "|" + ((Map<?, ?>) i.get("order")).get("orderNumber") + "|" + i.get("productName") + "|"
                        + i.get("sku") + "|" + i.get("quantity") + "|" + i.get("unitPrice")).sorted())
                .containsExactly("9711|WC-9701|Café Mug|null|2|10.00", "9712|WC-9701|Plate \"Blue\"|woo-plate-9712|1|25.00",
                        "9713|WC-9702|Tea|woo-tea-9713|1|10.00");
        assertThat(allNodes("returns", "woocommerceId woocommerceRefundedOrder amount reason returnDate resolution order { orderNumber }").stream()
                .filter(r -> r.get("order") != null && ((Map<?, ?>) r.get("order")).get("orderNumber").toString().matches("WC-970\\d"))
                .map(r -> r.get("woocommerceId") + "|" + r.get("woocommerceRefundedOrder") + "|" + r.get("amount") + "|" + r.get("reason") + "|"
                        + r.get("returnDate") + "|" + r.get("resolution")).sorted())
                .containsExactly("9730|9701|7.00|Late|2025-09-02|REFUND", "9731|null|5.00|Chipped|2025-09-03|REFUND");
        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers.get("tove.berg@example.se")).containsEntry("fullName", "Tove Berg").containsEntry("lifetimeValue", "33.00");
        assertThat(customers.get("arvid.ek@example.se")).containsEntry("lifetimeValue", "10.00");

        assertThat((String) importCsv("woocommerce:orders-import-csv", file, null).get("message")).contains("0 created, 0 updated, ");
    }

    /** The order items of orders WC-92xx: item id, order, name, SKU, quantity, unit price, product name. */
    @SuppressWarnings("unchecked")
    private List<String> perItemOrderItems() {
        return allNodes("orderItems", "woocommerceId productName sku quantity unitPrice order { orderNumber } product { name }").stream()
                .filter(i -> ((String) ((Map<String, Object>) i.get("order")).get("orderNumber")).matches("WC-92\\d\\d"))
                .map(i -> i.get("woocommerceId") + "|" + ((Map<String, Object>) i.get("order")).get("orderNumber") + "|" + i.get("productName")
                        + "|" + i.get("sku") + "|" + i.get("quantity") + "|" + i.get("unitPrice") + "|"
                        + (i.get("product") == null ? null : ((Map<String, Object>) i.get("product")).get("name")))
                .sorted().toList();
    }

    /** Every orders, order items, returns and customers entry of the WC-92xx orders, with its updated_at. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> perItemUpdatedAts() {
        List<Map<String, Object>> stamps = new ArrayList<>();
        stamps.addAll(allNodes("orders", "orderNumber updatedAt").stream().filter(o -> ((String) o.get("orderNumber")).startsWith("WC-92")).toList());
        stamps.addAll(allNodes("orderItems", "woocommerceId updatedAt order { orderNumber }").stream()
                .filter(i -> ((String) ((Map<String, Object>) i.get("order")).get("orderNumber")).startsWith("WC-92")).toList());
        stamps.addAll(allNodes("returns", "woocommerceRefundedOrder updatedAt").stream()
                .filter(r -> String.valueOf(r.get("woocommerceRefundedOrder")).startsWith("92")).toList());
        stamps.addAll(allNodes("customers", "email updatedAt").stream().filter(c -> "lena.vogel@example.de".equals(c.get("email"))).toList());
        return stamps;
    }

    /** The refunded-total returns of the orders whose WooCommerce id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    private List<String> refundedTotals(String prefix) {
        return allNodes("returns", "woocommerceRefundedOrder amount resolution status order { orderNumber } customer { email }").stream()
                .filter(r -> String.valueOf(r.get("woocommerceRefundedOrder")).startsWith(prefix))
                .map(r -> r.get("woocommerceRefundedOrder") + "|" + r.get("amount") + "|" + r.get("resolution") + "|" + r.get("status") + "|"
                        + ((Map<String, Object>) r.get("order")).get("orderNumber") + "|" + ((Map<String, Object>) r.get("customer")).get("email"))
                .sorted().toList();
    }

    /** The header of WooCommerce's own product exporter (its sample_products.csv), quoted as it writes it. */
    private static final String PRODUCT_HEADER = "ID,Type,SKU,Name,Published,\"Is featured?\",\"Visibility in catalog\",\"Short description\","
            + "Description,\"Date sale price starts\",\"Date sale price ends\",\"Tax status\",\"Tax class\",\"In stock?\",Stock,"
            + "\"Backorders allowed?\",\"Sold individually?\",\"Weight (lbs)\",\"Length (in)\",\"Width (in)\",\"Height (in)\","
            + "\"Allow customer reviews?\",\"Purchase note\",\"Sale price\",\"Regular price\",Categories,Tags,\"Shipping class\",Images,"
            + "\"Download limit\",\"Download expiry days\",Parent,\"Grouped products\",Upsells,Cross-sells,\"External URL\",\"Button text\","
            + "Position,\"Attribute 1 name\",\"Attribute 1 value(s)\",\"Attribute 1 visible\",\"Attribute 1 global\",\"Meta: _wpcom_is_markdown\"";

    /**
     * WooCommerce's product export (UTF-8 with a byte-order mark, a variable product and its variation, a
     * draft, a private product and one whose name the exporter escaped with a quote): every product by its
     * WooCommerce id and SKU, regular price, category and status.
     */
    @Test
    @SuppressWarnings("unchecked")
    void productExportImportsEveryProductAndVariation() throws Exception {
        String csv = "\uFEFF" + PRODUCT_HEADER + "\n"
                + "8044,variable,woo-vneck-tee-export,\"Awesome V-Neck T-Shirt\",1,1,visible,\"This is a variable product.\",\"Soft, \"\"light\"\"\nand blue\",,,"
                + "taxable,,1,,0,0,.5,24,1,2,1,,,,\"Clothing > Tshirts\",,,,,,,,,,,,0,Color,\"Blue, Green\",1,1,1\n"
                + "8076,variation,woo-vneck-tee-export-red,\"V-Neck T-Shirt - Red\",1,0,visible,,,,,taxable,,1,,0,0,,,,,0,,15,20,,,,,,,"
                + "woo-vneck-tee-export,,,,,,0,Color,Red,,1,\n"
                + "8060,simple,woo-cap-export,Cap,0,1,visible,,,,,taxable,,1,,0,0,0.6,8,6.5,4,1,,16,\"1,018.00\",\"Clothing > Accessories, Sale\","
                + ",,,,,,,,,,,0,Color,Yellow,1,1,1\n"
                + "8062,simple,woo-sunglasses-export,'-Sunglasses-,'-1,1,visible,,,,,taxable,,1,,0,0,.2,4,1.4,1,1,,,90,\"Clothing > Accessories\","
                + ",,,,,,,,,,,0,,,,,1\n";
        Map<String, Object> job = importCsv("woocommerce:products-csv", csv, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 4).containsEntry("errorCount", 0);
        Map<Object, Map<String, Object>> products = new java.util.HashMap<>();
        allNodes("products", "woocommerceId sku name price category status").forEach(p -> products.put(p.get("woocommerceId"), p));
        assertThat(products.get(8044)).containsEntry("sku", "woo-vneck-tee-export").containsEntry("name", "Awesome V-Neck T-Shirt")
                .containsEntry("price", null).containsEntry("category", "Clothing > Tshirts").containsEntry("status", "ACTIVE");
        assertThat(products.get(8076)).containsEntry("sku", "woo-vneck-tee-export-red").containsEntry("name", "V-Neck T-Shirt - Red")
                .containsEntry("price", "20.00").containsEntry("category", null).containsEntry("status", "ACTIVE");
        assertThat(products.get(8060)).containsEntry("name", "Cap").containsEntry("price", "1018.00")
                .containsEntry("category", "Clothing > Accessories, Sale").containsEntry("status", "DRAFT");
        assertThat(products.get(8062)).containsEntry("name", "-Sunglasses-").containsEntry("price", "90.00").containsEntry("status", "DRAFT");

        // Re-imported unchanged: nothing changes.
        assertThat((String) importCsv("woocommerce:products-csv", csv, null).get("message")).contains("0 created, 0 updated, 4 unchanged");
    }

    /** A row of the order export: order {@code id} with {@code values} by column, every other column empty but the totals. */
    private static String orderRow(String header, int id, Map<String, String> values) {
        Map<String, String> row = new java.util.HashMap<>(Map.of("order_id", String.valueOf(id), "order_number", String.valueOf(id),
                "order_date", "2025-04-01 10:00:00", "status", "completed", "order_total", "10.00", "order_currency", "GBP"));
        row.putAll(values);
        return WooOrderExports.csvRow(header, row);
    }


    private static Map<String, String> with(Map<String, String> values, String column, String value) {
        Map<String, String> changed = new java.util.HashMap<>(values);
        changed.put(column, value);
        return changed;
    }

    @Test
    void genericImporterReadsLabelsApiNamesAndRelationsByUniqueField() throws Exception {
        importCsv("woocommerce:customers-csv", customerExport(), null);
        String csv = """
                Order Number,customer.email,total_amount,Status,Order Date,Unknown Column
                GEN-1,amelia.zhang@example.org,10.50,Shipped,2025-01-01T10:00:00Z,x
                GEN-2,nobody@example.com,3,Pending,2025-01-02,x
                GEN-3,,7,delivered,2025-01-03 08:30:00,x
                """;
        Map<String, Object> job = importCsv("csv:orders", csv, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 1);
        assertThat(errors(job)).containsExactly(List.of(2, "customer.email", "nobody@example.com",
                "customer: no customers entry has email 'nobody@example.com'"));
        assertThat((String) job.get("message")).contains("columns not imported: Unknown Column");
        Map<String, Map<String, Object>> orders = ordersByNumber();
        assertThat(orders.get("GEN-1")).containsEntry("status", "SHIPPED").containsEntry("totalAmount", "10.50")
                .containsEntry("currency", "USD");
        assertThat(orders.get("GEN-1").get("customer")).isEqualTo(Map.of("email", "amelia.zhang@example.org"));
        assertThat(orders.get("GEN-3")).containsEntry("status", "DELIVERED").containsEntry("orderDate", "2025-01-03T08:30:00Z");
        // Upsert by the unique Order Number: a second run changes, never duplicates.
        importCsv("csv:orders", csv.replace("10.50", "11.00"), null);
        assertThat(ordersByNumber().get("GEN-1")).containsEntry("totalAmount", "11.00");
        assertThat(ordersByNumber().keySet().stream().filter(n -> n.startsWith("GEN-"))).hasSize(2);
        run("{ importers { name object } }").path("importers[*].name").entityList(String.class)
                .contains("csv:customers", "csv:orders", "woocommerce:customers-csv", "woocommerce:orders-csv");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cancellingAnImportKeepsTheRowsOfCommittedChunksOnly() throws Exception {
        StringBuilder csv = new StringBuilder("Order Number,Total Amount,Status\n");
        for (int i = 1; i <= 200_000; i++) {
            csv.append("CANCEL-").append(i).append(',').append(i % 1000).append(".50,Pending\n");
        }
        int before = run("{ orders { totalCount } }").path("orders.totalCount").entity(Integer.class).get();
        String id = postImport("csv:orders", csv.toString(), null);
        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, Object> job;
        do {
            job = run("query($id: ID!) { job(id: $id) { state processed } }", Map.of("id", id)).path("job").entity(Map.class).get();
        } while ((Integer) job.get("processed") < 1000 && System.currentTimeMillis() < deadline);
        run("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", id));
        Map<String, Object> cancelled = awaitJob(id);
        assertThat(cancelled).containsEntry("state", "CANCELLED").containsEntry("total", 200_000);
        int processed = (Integer) cancelled.get("processed");
        assertThat(processed).isLessThan(200_000).isPositive();
        assertThat(processed % 500).as("whole chunks only").isZero();
        int written = run("{ orders { totalCount } }").path("orders.totalCount").entity(Integer.class).get() - before;
        assertThat(written).as("rows written = rows of committed chunks").isEqualTo(processed);
    }

    @Test
    void unknownImporterIsA404() throws Exception {
        HttpResponse<String> response = post("/imports/nope:nothing", "text/csv", "a,b\n1,2\n");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("No importer named 'nope:nothing'");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> ordersByNumber() {
        List<Map<String, Object>> nodes = allNodes("orders", "orderNumber woocommerceId woocommerceStatus status totalAmount "
                + "currency paymentMethod orderDate shippingAddress customer { email }");
        Map<String, Map<String, Object>> byNumber = new java.util.LinkedHashMap<>();
        nodes.forEach(n -> byNumber.put((String) n.get("orderNumber"), n));
        return byNumber;
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> errors(Map<String, Object> job) {
        List<List<Object>> list = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) job.get("errors")) {
            list.add(Arrays.asList(e.get("row"), e.get("column"), e.get("value"), e.get("reason")));
        }
        return list;
    }
}
