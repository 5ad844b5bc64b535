package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.PluginServerSupport;
import dev.storefront.crm.plugins.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Real-world CSV files through {@code POST /imports/...} on the real server, the generic importers and
 * the real WooCommerce jar: one file per form a store owner's file takes, written here byte by byte,
 * and every stored value compared with the value the test expects. Its own database and plugins
 * folder (the WooCommerce jar and a plugin that records finished imports).
 */
class CsvFormatsE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final Path PLUGINS = pluginsWithImportLog();
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", PLUGINS::toString);
        registry.add("crm.imports.mappings-dir", () -> newFolder("crm-mappings").toString());
        // Chunks of 3 rows: most files here cross a checkpoint.
        registry.add("crm.imports.chunk-size", () -> "3");
    }

    private static Path pluginsWithImportLog() {
        try {
            Path directory = TestFolders.create("crm-plugins-imports");
            Files.copy(TestPlugins.wooCommerceJar(), directory.resolve(TestPlugins.wooCommerceJar().getFileName()));
            ImportLogPlugin.buildInto(directory);
            return directory;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String upload(String importer, byte[] body, String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(E2EClient.authorized(
                        URI.create("http://localhost:" + port + "/imports/" + importer + (query == null ? "" : "?" + query)))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return (String) JSON.readValue(response.body(), Map.class).get("jobId");
    }

    private Map<String, Object> importBytes(String importer, byte[] body, String query) throws Exception {
        return awaitJobWithLines(upload(importer, body, query));
    }

    private static String mapping(String json) {
        return "mapping=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitJobWithLines(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<String, Object> job = run("query($id: ID!) { job(id: $id) { id state processed total errorCount "
                    + "errors { row line column value reason } message } }", Map.of("id", id)).path("job").entity(Map.class).get();
            if (!List.of("QUEUED", "RUNNING").contains(job.get("state"))) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", id, job.get("state")).isLessThan(deadline);
            sleep(50);
        }
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof byte[] raw ? raw : ((String) part).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private Map<String, Map<String, Object>> customers(String emailPrefix) {
        return byEmail(allNodes("customers", "email fullName firstName phone notes tags totalOrders lifetimeValue visits spend"
                + " customerSegment billingCompany woocommerceId updatedAt"), emailPrefix);
    }

    private static Map<String, Map<String, Object>> byEmail(List<Map<String, Object>> nodes, String prefix) {
        Map<String, Map<String, Object>> byEmail = new LinkedHashMap<>();
        nodes.stream().filter(c -> c.get("email") != null && ((String) c.get("email")).startsWith(prefix))
                .forEach(c -> byEmail.put((String) c.get("email"), c));
        return byEmail;
    }

    private int customerCount() {
        return run("{ customers { totalCount } }").path("customers.totalCount").entity(Integer.class).get();
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> errors(Map<String, Object> job) {
        List<List<Object>> list = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) job.get("errors")) {
            list.add(Arrays.asList(e.get("row"), e.get("line"), e.get("column"), e.get("value"), e.get("reason")));
        }
        return list;
    }

    /** Money and whole numbers are read into plain fields of the test's own: the shipped metrics are computed, not imported. */
    @BeforeEach
    void plainNumberFields() {
        List<String> fields = run("{ object(apiName: \"customers\") { fields { apiName } } }").path("object.fields[*].apiName")
                .entityList(String.class).get();
        if (!fields.contains("spend")) {
            run("mutation { addField(object: \"customers\", input: { label: \"Spend\", type: NUMBER }) { apiName } }");
        }
        if (!fields.contains("visits")) {
            run("mutation { addField(object: \"customers\", input: { label: \"Visits\", type: INTEGER }) { apiName } }");
        }
    }

    // ---- one file per form ---------------------------------------------------------------------

    /** WooCommerce export (real plugin jar): line breaks (LF, CRLF, CR), commas and doubled quotes inside quoted cells. */
    @Test
    void quotedLineBreaksCommasAndDoubledQuotesThroughTheWooCommercePlugin() throws Exception {
        String header = "customer_id,first_name,last_name,email,date_registered,billing_first_name,billing_last_name,billing_company,"
                + "billing_email,billing_phone,billing_city,billing_country,total_spent,order_count\n";
        byte[] file = bytes(header,
                "501,Ana,Lima,rfc-ana@example.com,\"2025-01-02 10:00:00\",Ana,Lima,\"Lima, \"\"Ana\"\" & Co.\nSecond line\","
                        + "rfc-ana@example.com,+351 21 555 0101,\"Lisboa\r\nCentro\",PT,12.50,1\n",
                "502,Bo,Berg,rfc-bo@example.com,2025-01-03 11:00:00,Bo,Berg,\"Berg\rAB\",rfc-bo@example.com,,Malmö,SE,\"1,5\",2\n",
                "0,Guest,Gast,rfc-guest@example.com,2025-01-04 12:00:00,,,,,,Wien,AT,0,0\n",
                "503,Cy,Bad,not-an-email,2025-01-05 12:00:00,Cy,Bad,,not-an-email,,Oslo,NO,1,1");
        Map<String, Object> job = importBytes("woocommerce:customers-csv", file, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 4).containsEntry("total", 4)
                .containsEntry("errorCount", 1);
        // Record 4 starts on line 8: record 1 spans lines 2 to 4 (an LF and a CRLF inside quotes), the CR in record 2 is a
        // line too. total_spent and order_count are not imported (the CRM computes its metrics), so "1,5" is no error.
        assertThat(errors(job)).containsExactly(
                List.of(4, 8, "billing_email | email", "not-an-email", "email: is not a valid email address"));
        Map<String, Map<String, Object>> stored = customers("rfc-");
        assertThat(stored.keySet()).containsExactly("rfc-ana@example.com", "rfc-bo@example.com", "rfc-guest@example.com");
        assertThat(stored.get("rfc-ana@example.com")).containsEntry("woocommerceId", 501).containsEntry("fullName", "Ana Lima")
                .containsEntry("billingCompany", "Lima, \"Ana\" & Co.\nSecond line").containsEntry("phone", "+351 21 555 0101")
                .containsEntry("lifetimeValue", "0.00").containsEntry("totalOrders", 0);
        assertThat(stored.get("rfc-guest@example.com")).containsEntry("woocommerceId", null).containsEntry("fullName", "Guest Gast")
                .containsEntry("billingCompany", null);
    }

    /** A UTF-8 byte-order mark, CRLF line ends and blank lines at the end; then LF and no line end after the last record. */
    @Test
    void byteOrderMarkCrlfAndBlankTrailingLinesThenNoFinalLineEnd() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] crlf = bytes(bom, "Email,Full Name,Visits,Spend\r\n",
                "bom-1@example.com,Zoë Brandt,3,19.99\r\n", "bom-2@example.com,\"Ödön, Jr.\",0,0\r\n", "\r\n", "\r\n");
        Map<String, Object> first = importBytes("csv:customers", crlf, null);
        assertThat(first).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2).containsEntry("errorCount", 0);
        assertThat((String) first.get("message")).isEqualTo("Imported 2 of 2 rows into customers; 0 bad rows skipped;"
                + " 2 created, 0 updated, 0 unchanged; read as UTF-8, ','-separated");
        byte[] lf = bytes("email,full_name,visits,spend\n", "bom-3@example.com,Åsa Berg,7,1000.5");
        assertThat(importBytes("csv:customers", lf, null)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 1);
        Map<String, Map<String, Object>> stored = customers("bom-");
        assertThat(stored.keySet()).containsExactly("bom-1@example.com", "bom-2@example.com", "bom-3@example.com");
        assertThat(stored.get("bom-1@example.com")).containsEntry("fullName", "Zoë Brandt").containsEntry("visits", 3)
                .containsEntry("spend", "19.99");
        assertThat(stored.get("bom-2@example.com")).containsEntry("fullName", "Ödön, Jr.").containsEntry("visits", 0);
        assertThat(stored.get("bom-3@example.com")).containsEntry("fullName", "Åsa Berg").containsEntry("visits", 7)
                .containsEntry("spend", "1000.5");
    }

    /** What German Excel writes: ';' and Windows-1252 (detected), a header with spaces and other case, money as 1.234,50 €. */
    @Test
    void semicolonsWindows1252AndMoneyWithThousandsSeparators() throws Exception {
        byte[] file = ("  EMAIL ; full NAME ;Notes; Umsatz \r\n"
                + "w1252-1@example.de;Jürgen Müller;Café „Zur Post“ – Stammgast;1.234,50 €\r\n"
                + "w1252-2@example.de;Zoë Ñúñez;Preis 5 €;12,5\r\n").getBytes(WINDOWS_1252);
        String moneyMapping = mapping("{\"Email\": \"email\", \"Full Name\": \"Full Name\", \"Notes\": \"notes\","
                + " \"Spend\": \"money(umsatz)\"}");
        Map<String, Object> job = importBytes("csv:customers", file, moneyMapping);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2).containsEntry("errorCount", 0);
        assertThat((String) job.get("message")).endsWith("read as windows-1252, ';'-separated");
        Map<String, Map<String, Object>> stored = customers("w1252-");
        assertThat(stored.get("w1252-1@example.de")).containsEntry("fullName", "Jürgen Müller")
                .containsEntry("notes", "Café „Zur Post“ – Stammgast").containsEntry("spend", "1234.5");
        assertThat(stored.get("w1252-2@example.de")).containsEntry("fullName", "Zoë Ñúñez").containsEntry("notes", "Preis 5 €")
                .containsEntry("spend", "12.5");

        // The same text as ISO-8859-1, named by the caller, with a tab delimiter named too.
        byte[] latin1 = "Email\tFull Name\nlatin1-1@example.de\tFrançois Gaëlle\n".getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Object> named = importBytes("csv:customers", latin1, "charset=ISO-8859-1&delimiter=tab");
        assertThat((String) named.get("message")).endsWith("read as ISO-8859-1, tab-separated");
        assertThat(customers("latin1-").get("latin1-1@example.de")).containsEntry("fullName", "François Gaëlle");
    }

    /** Excel's ="00123" text guard, the '= formula escape, money with currency signs, empty columns after the last one. */
    @Test
    void excelTextGuardsFormulaEscapesMoneyAndEmptyTrailingColumns() throws Exception {
        String file = "Email\tPhone\tNotes\tSpend\tTags\t\t\n"
                + "guard-1@example.com\t=\"0301234567\"\t=\"00123\"\t$1,234.50\tvip, b2b ,vip\t\t\n"
                + "guard-2@example.com\t'+49 30 5550 1234\t'=SUM(A1:A3)\t(1.234,50 €)\t[\"x\",\"y\"]\t\t\n"
                + "guard-3@example.com\t\"=\"\"0123456789\"\"\"\t\t€ 2 000\t\t\n";
        String moneyMapping = mapping("{\"Email\": \"Email\", \"Phone\": \"Phone\", \"Notes\": \"Notes\","
                + " \"Spend\": \"money(Spend)\", \"Tags\": \"Tags\"}");
        Map<String, Object> job = importBytes("csv:customers", bytes(file), moneyMapping);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 3).containsEntry("errorCount", 0);
        Map<String, Map<String, Object>> stored = customers("guard-");
        assertThat(stored.get("guard-1@example.com")).containsEntry("phone", "0301234567").containsEntry("notes", "00123")
                .containsEntry("spend", "1234.5").containsEntry("tags", List.of("vip", "b2b"));
        assertThat(stored.get("guard-2@example.com")).containsEntry("phone", "+49 30 5550 1234").containsEntry("notes", "=SUM(A1:A3)")
                .containsEntry("spend", "-1234.5").containsEntry("tags", List.of("x", "y"));
        assertThat(stored.get("guard-3@example.com")).containsEntry("phone", "0123456789").containsEntry("notes", null)
                .containsEntry("spend", "2000").containsEntry("tags", null);
    }

    /** A file cut off inside a quoted cell fails whole, naming record and line; nothing is written. */
    @Test
    void aFileCutOffInsideAQuoteFailsAndWritesNothing() throws Exception {
        int before = customerCount();
        byte[] file = bytes("Email,Full Name,Notes\n", "cut-1@example.com,One,\"fine\nover two lines\"\n",
                "cut-2@example.com,Two,\"never closed\n", "cut-3@example.com,Three,more\n");
        Map<String, Object> job = importBytes("csv:customers", file, null);
        // Refused before its records were counted: a finished job's total is what it processed, never -1.
        assertThat(job).containsEntry("state", "FAILED").containsEntry("processed", 0).containsEntry("total", 0).containsEntry("message",
                "Record 2, which starts on line 4, opens a quote on line 4 that is never closed: the file may be cut off."
                        + " Nothing was imported");
        assertThat(customerCount()).isEqualTo(before);
        assertThat(customers("cut-")).isEmpty();
    }

    /** A record with more cells than the header (an unquoted comma) fails whole, naming record and line; nothing is written. */
    @Test
    void aRecordWithMoreCellsThanTheHeaderFailsAndWritesNothing() throws Exception {
        int before = customerCount();
        byte[] file = bytes("Email,Full Name,Notes\n", "long-1@example.com,One,\"a\nb\"\n", "long-2@example.com,Two,,\n",
                "long-3@example.com,Smith, John,note\n");
        Map<String, Object> job = importBytes("csv:customers", file, null);
        assertThat(job).containsEntry("state", "FAILED").containsEntry("message", "Record 3 (line 5) has 4 cells, but the header"
                + " has 3 columns: a delimiter inside a value needs quotes around the value. Nothing was imported");
        assertThat(customerCount()).isEqualTo(before);
        assertThat(customers("long-")).isEmpty();
    }

    /**
     * A file whose problem stands after its first chunk (3 records here), far enough on that its first chunk converts
     * while the rest is still being read: that chunk does not commit before the read's end, so nothing is written.
     */
    @Test
    void aProblemAfterTheFirstChunkFailsTheFileAndWritesNothing() throws Exception {
        int before = customerCount();
        byte[] file = bytes("Email,Full Name\n", "later-1@example.com,One\n", "later-2@example.com,Two\n", "later-3@example.com,Three\n",
                "later-4@example.com,Four\n", "later-5@example.com,\"" + "x".repeat(40 << 20) + "\n");
        Map<String, Object> job = importBytes("csv:customers", file, null);
        assertThat(job).containsEntry("state", "FAILED").containsEntry("processed", 0).containsEntry("message", "Record 5, which starts on"
                + " line 6, holds more than 32 MB of text: a quote that is never closed, or a whole document in a cell. Nothing was imported");
        assertThat(customerCount()).isEqualTo(before);
        assertThat(customers("later-")).isEmpty();
    }

    /**
     * A file found not UTF-8 after its first chunk: read again as Windows-1252, whose first chunk (ASCII, or the file would mix
     * two charsets) is the same bytes either way; every record is stored as Windows-1252 reads it.
     */
    @Test
    void windows1252FoundAfterTheFirstChunk() throws Exception {
        byte[] file = bytes("Email;Full Name\r\n", "late1252-1@example.de;Anna Berg\r\n", "late1252-2@example.de;Bo Lind\r\n",
                "late1252-3@example.de;Cai Wu\r\n", "late1252-4@example.de;Dana Ek\r\n",
                "late1252-5@example.de;Zoë Ñúñez\r\n".getBytes(WINDOWS_1252));
        Map<String, Object> job = importBytes("csv:customers", file, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 5).containsEntry("errorCount", 0);
        assertThat((String) job.get("message")).endsWith("read as windows-1252, ';'-separated");
        Map<String, Map<String, Object>> stored = customers("late1252-");
        assertThat(stored.values().stream().map(c -> c.get("fullName"))).containsExactlyInAnyOrder("Anna Berg", "Bo Lind", "Cai Wu",
                "Dana Ek", "Zoë Ñúñez");
    }

    /**
     * A header that names a column the mapping reads twice (ignoring case) is refused, naming it and where:
     * the first would win and the other's values be lost unseen. A repeated column no mapping reads is no matter.
     */
    @Test
    void aColumnNamedTwiceInTheHeaderIsRefusedWhenTheMappingReadsIt() throws Exception {
        int before = customerCount();
        Map<String, Object> generic = importBytes("csv:customers", bytes("Email,Full Name,Phone,email\n",
                "twice-1@example.com,One,,twice-2@example.com\n"), null);
        assertThat(generic).containsEntry("state", "FAILED").containsEntry("processed", 0).containsEntry("total", 1)
                .containsEntry("message", "The file has 2 columns named 'Email' (columns 1 and 4): rename or remove all but one,"
                        + " so that it is clear which to import");
        Map<String, Object> mapped = importBytes("csv:customers", bytes("Email,Name,Name\n", "twice-3@example.com,Three,Other\n"),
                mapping("{\"Email\": \"Email\", \"Full Name\": \"Name\"}"));
        assertThat(mapped).containsEntry("state", "FAILED").containsEntry("message", "The file has 2 columns named 'Name'"
                + " (columns 2 and 3): rename or remove all but one, so that it is clear which to import");
        assertThat(customerCount()).isEqualTo(before);

        Map<String, Object> unread = importBytes("csv:customers", bytes("Email,Full Name,Extra,Extra\n", "twice-4@example.com,Four,a,b\n"), null);
        assertThat(unread).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(customers("twice-")).containsOnlyKeys("twice-4@example.com");
        assertThat(customers("twice-").get("twice-4@example.com")).containsEntry("fullName", "Four");
    }

    /** Binary data, an Excel workbook and UTF-16 text are refused in a store owner's words. */
    @Test
    void filesThatAreNotCsvTextAreRefused() throws Exception {
        int before = customerCount();
        Map<String, Object> binary = importBytes("csv:customers", bytes("Email,Full Name\nbin@example.com,", new byte[] {0, 1, 2}, "\n"), null);
        assertThat(binary).containsEntry("state", "FAILED").containsEntry("total", 0).containsEntry("message", "The file is not a CSV text file: it holds"
                + " binary data (byte 33, line 2). Save it from the spreadsheet as CSV and upload that file");
        Map<String, Object> xlsx = importBytes("csv:customers", bytes("PK", new byte[] {3, 4, 20, 0}, "[Content_Types].xml"), null);
        assertThat(xlsx).containsEntry("state", "FAILED").containsEntry("message", "The file is a zip archive or an Excel workbook"
                + " (.xlsx), not CSV: save it from the spreadsheet as CSV and upload that file");
        Map<String, Object> utf16 = importBytes("csv:customers", bytes(new byte[] {(byte) 0xFF, (byte) 0xFE},
                "Email".getBytes(StandardCharsets.UTF_16LE)), null);
        assertThat(utf16).containsEntry("state", "FAILED").containsEntry("message", "The file is UTF-16 text (as Excel's \"Unicode"
                + " Text\" writes it): save it as \"CSV UTF-8\" and upload that file");
        assertThat(customerCount()).isEqualTo(before);
    }

    /**
     * A file mixing UTF-8 and Windows-1252 (rows pasted from two exports) is refused naming the line: read as
     * Windows-1252, as a file that is not UTF-8 is, its UTF-8 rows would be garbled (Zoë as ZoÃ«). Named, the
     * charset reads it all as the caller says.
     */
    @Test
    void aFileMixingUtf8AndWindows1252IsRefusedNamingTheLine() throws Exception {
        int before = customerCount();
        byte[] file = bytes("Email,Full Name\n", "mixed-1@example.com,Zoë Brandt\n", "mixed-2@example.com,Ren",
                new byte[] {(byte) 0xE9}, "e Roy\n");
        Map<String, Object> job = importBytes("csv:customers", file, null);
        assertThat(job).containsEntry("state", "FAILED").containsEntry("message", "Line 3 is not UTF-8 text (byte 73), but line 2"
                + " is: the file mixes two charsets. Save it from the spreadsheet as CSV UTF-8 and upload that file, or pass its"
                + " charset, e.g. charset=windows-1252, to read all of it so");
        assertThat(customerCount()).isEqualTo(before);
        Map<String, Object> named = importBytes("csv:customers", file, "charset=windows-1252");
        assertThat(named).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2);
        assertThat(customers("mixed-").get("mixed-2@example.com")).containsEntry("fullName", "Renée Roy");
    }

    /**
     * No-break spaces around a value (pasted from a web page or a PDF) are trimmed like spaces, in UTF-8 and in
     * Windows-1252 (0xA0): an email kept with one matched no later import of the same address.
     */
    @Test
    void noBreakSpacesAroundValuesAreTrimmed() throws Exception {
        byte[] utf8 = bytes("Email,Full Name,Notes\n", "nbsp-1@example.com\u00a0,\u00a0Nina Bauer\u202f,\ufeff\u00a0\n");
        Map<String, Object> first = importBytes("csv:customers", utf8, null);
        assertThat(first).containsEntry("state", "SUCCEEDED").containsEntry("processed", 1).containsEntry("errorCount", 0);
        byte[] windows1252 = "Email;Full Name\r\n\u00a0NBSP-1@example.com;Nina Bär\u00a0\r\n".getBytes(WINDOWS_1252);
        Map<String, Object> again = importBytes("csv:customers", windows1252, null);
        assertThat(again).containsEntry("state", "SUCCEEDED").containsEntry("processed", 1);
        assertThat((String) again.get("message")).contains("0 created, 1 updated").endsWith("read as windows-1252, ';'-separated");
        assertThat(customers("nbsp-")).containsOnlyKeys("nbsp-1@example.com");
        assertThat(customers("nbsp-").get("nbsp-1@example.com")).containsEntry("fullName", "Nina Bär").containsEntry("notes", null);
    }

    /** The bad-row report lists exactly the bad records, with record number and the line where each starts. */
    @Test
    void badRowReportNamesRecordLineColumnValueAndReason() throws Exception {
        byte[] file = bytes("Email,Full Name,Notes,Visits,Customer Segment,Tags,Phone\n",
                "report-1@example.com,One,\"two\nlines\",1,VIP,,\n",
                "report-2@example,Two,,1,VIP,,\n",
                "report-3@example.com,Three,\"three\r\nlines\r\nhere\",3.5,VIP,,\n",
                "report-4@example.com,Four,,4,Gold,,\n",
                "report-5@example.com,Five,,5,at risk,[oops,\n",
                "report-6@example.com,Six,,6,potential loyal,,12\n",
                "report-7@example.com,Seven,\"ok\",7,AT_RISK,\"[\"\"a\"\"]\",+1 (212) 555-0147 x12\n");
        Map<String, Object> job = importBytes("csv:customers", file, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 7).containsEntry("errorCount", 5);
        assertThat(errors(job)).containsExactly(
                List.of(2, 4, "Email", "report-2@example", "email: is not a valid email address"),
                List.of(3, 5, "Visits", "3.5", "visits: is not a whole number"),
                List.of(4, 8, "Customer Segment", "Gold",
                        "customer_segment: is not one of the options: VIP, Loyal, Potential Loyal, Active, New, At Risk, Churned, Lapsed"),
                List.of(5, 9, "Tags", "[oops", "tags: is not a JSON array of strings"),
                List.of(6, 10, "Phone", "12", "phone: is not a valid phone number (7 to 15 digits, optional +, spaces, - ( ) .)"));
        Map<String, Map<String, Object>> stored = customers("report-");
        assertThat(stored.keySet()).containsExactly("report-1@example.com", "report-7@example.com");
        assertThat(stored.get("report-1@example.com")).containsEntry("notes", "two\nlines").containsEntry("customerSegment", "VIP");
        assertThat(stored.get("report-7@example.com")).containsEntry("customerSegment", "AT_RISK").containsEntry("tags", List.of("a"))
                .containsEntry("phone", "+1 (212) 555-0147 x12").containsEntry("visits", 7);
    }

    /**
     * Spaces around quoted cells, as hand-edited files and some tools write them (a quote after the spaces
     * opens a quoted cell; spaces after its closing quote are padding), and a cell of 3 MB (more than
     * DuckDB's reader takes by default) are read; a record of more than 32 MB is refused in plain words.
     */
    @Test
    void spacesAroundQuotedCellsAndVeryLongCells() throws Exception {
        String longNote = "n".repeat(3_000_000);
        byte[] file = bytes("Email, Full Name , Notes\n",
                "pad-1@example.com, \"Smith, John\" , \"a, b\"  \n",
                "pad-2@example.com,\"Ann \"  ,\"She said \"hi\" twice\"\n",
                "pad-3@example.com,\"Long\",\"" + longNote + "\"\n");
        Map<String, Object> job = importBytes("csv:customers", file, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 3).containsEntry("errorCount", 0);
        Map<String, Map<String, Object>> stored = customers("pad-");
        assertThat(stored.get("pad-1@example.com")).containsEntry("fullName", "Smith, John").containsEntry("notes", "a, b");
        assertThat(stored.get("pad-2@example.com")).containsEntry("fullName", "Ann").containsEntry("notes", "She said \"hi\" twice");
        assertThat(stored.get("pad-3@example.com")).containsEntry("fullName", "Long").containsEntry("notes", longNote);

        int before = customerCount();
        byte[] tooLong = bytes("Email,Notes\n", "pad-4@example.com,ok\n", "pad-5@example.com,\"" + "x".repeat(33 << 20) + "\"\n");
        Map<String, Object> refused = importBytes("csv:customers", tooLong, null);
        assertThat(refused).containsEntry("state", "FAILED").containsEntry("message", "Record 2, which starts on line 3, holds more"
                + " than 32 MB of text: a quote that is never closed, or a whole document in a cell. Nothing was imported");
        assertThat(customerCount()).isEqualTo(before);
    }

    /** Re-importing an unchanged file writes nothing (updated_at stays); a changed row updates that entry only. */
    @Test
    void reImportOfAnUnchangedFileChangesNothing() throws Exception {
        String file = "Email,Full Name,Spend\nsame-1@example.com,One,10\nsame-2@example.com,Two,20\nsame-3@example.com,Three,30\n";
        assertThat((String) importBytes("csv:customers", bytes(file), null).get("message")).contains("3 created, 0 updated, 0 unchanged");
        Map<String, Map<String, Object>> before = customers("same-");
        sleep(20);
        assertThat((String) importBytes("csv:customers", bytes(file), null).get("message")).contains("0 created, 0 updated, 3 unchanged");
        assertThat(customers("same-")).isEqualTo(before);
        Map<String, Object> changed = importBytes("csv:customers", bytes(file.replace("Two,20", "Two,25")), null);
        assertThat((String) changed.get("message")).contains("0 created, 1 updated, 2 unchanged");
        Map<String, Map<String, Object>> after = customers("same-");
        assertThat(after.get("same-1@example.com")).isEqualTo(before.get("same-1@example.com"));
        assertThat(after.get("same-3@example.com")).isEqualTo(before.get("same-3@example.com"));
        assertThat(after.get("same-2@example.com")).containsEntry("spend", "25");
        assertThat(after.get("same-2@example.com").get("updatedAt")).isNotEqualTo(before.get("same-2@example.com").get("updatedAt"));
    }

    /**
     * New customers are inserted with the metrics of a customer without orders (no recompute after the
     * insert), then an orders file sets them; the phone check keeps a single write's limits (7 to 15
     * digits before an extension); emails are stored in lower case, enums read by label in any case or
     * by GraphQL name; of rows repeating a key in one chunk (3 rows here), the last is written.
     */
    @Test
    void newCustomersStartWithTheMetricsOfNoOrdersThenTheirOrdersSetThem() throws Exception {
        byte[] customersFile = bytes("Email,Full Name,Phone,Accepts Marketing,Customer Segment\n",
                "Metrics-1@Example.com,One,+1 (212) 555-0100 ext. 123456,Yes,potential loyal\n",
                "metrics-2@example.com,Two,123456789012345,0,POTENTIAL_LOYAL\n",
                "metrics-2@example.com,Two Again,,no,Lapsed\n",
                "metrics-3@example.com,Three,1234567890123456,,VIP\n",
                "metrics-4@example.com,Four,123456 x12,n,VIP\n");
        Map<String, Object> job = importBytes("csv:customers", customersFile, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 5).containsEntry("errorCount", 2);
        assertThat((String) job.get("message")).contains("2 created, 0 updated, 0 unchanged");
        String phoneReason = "phone: is not a valid phone number (7 to 15 digits, optional +, spaces, - ( ) .)";
        assertThat(errors(job)).containsExactly(List.of(4, 5, "Phone", "1234567890123456", phoneReason),
                List.of(5, 6, "Phone", "123456 x12", phoneReason));
        String fields = "email fullName phone acceptsMarketing customerSegment totalOrders countedOrderTotal lifetimeValue"
                + " averageOrderValue firstPurchaseDate lastPurchaseDate returnedOrders returnRate";
        Map<String, Map<String, Object>> stored = byEmail(allNodes("customers", fields), "metrics-");
        assertThat(stored.keySet()).containsExactly("metrics-1@example.com", "metrics-2@example.com");
        Map<String, Object> noOrders = new LinkedHashMap<>();
        noOrders.put("totalOrders", 0);
        noOrders.put("countedOrderTotal", "0.00");
        noOrders.put("lifetimeValue", "0.00");
        noOrders.put("averageOrderValue", null);
        noOrders.put("firstPurchaseDate", null);
        noOrders.put("lastPurchaseDate", null);
        noOrders.put("returnedOrders", 0);
        noOrders.put("returnRate", null);
        assertThat(stored.get("metrics-1@example.com")).containsAllEntriesOf(noOrders).containsEntry("fullName", "One")
                .containsEntry("phone", "+1 (212) 555-0100 ext. 123456").containsEntry("acceptsMarketing", true)
                .containsEntry("customerSegment", "POTENTIAL_LOYAL");
        assertThat(stored.get("metrics-2@example.com")).containsAllEntriesOf(noOrders).containsEntry("fullName", "Two Again")
                .containsEntry("phone", null).containsEntry("acceptsMarketing", false).containsEntry("customerSegment", "LAPSED");

        byte[] ordersFile = bytes("Order Number,Customer.Email,Order Date,Total Amount,Status\n",
                "M-1,metrics-1@example.com,2025-03-01T10:00:00Z,100.50,Delivered\n",
                "M-2,METRICS-1@example.com,2025-04-02T10:00:00Z,20.25,Cancelled\n",
                "M-3,metrics-2@example.com,2025-05-03T10:00:00Z,10,Pending\n");
        assertThat((String) importBytes("csv:orders", ordersFile, null).get("message")).contains("3 created, 0 updated, 0 unchanged");
        stored = byEmail(allNodes("customers", fields), "metrics-");
        assertThat(stored.get("metrics-1@example.com")).containsEntry("totalOrders", 1).containsEntry("countedOrderTotal", "100.50")
                .containsEntry("lifetimeValue", "100.50").containsEntry("averageOrderValue", "100.50")
                .containsEntry("firstPurchaseDate", "2025-03-01").containsEntry("lastPurchaseDate", "2025-03-01")
                .containsEntry("returnedOrders", 0).containsEntry("returnRate", "0");
        assertThat(stored.get("metrics-2@example.com")).containsEntry("totalOrders", 1).containsEntry("countedOrderTotal", "10.00")
                .containsEntry("lifetimeValue", "10.00").containsEntry("averageOrderValue", "10.00")
                .containsEntry("firstPurchaseDate", "2025-05-03").containsEntry("lastPurchaseDate", "2025-05-03");
    }

    /**
     * A file of several chunks (chunks of 3 here) recomputes its customers' metrics once, after its last
     * chunk: the metrics then count every chunk's orders, for creates and for a re-import that updates.
     * That recompute sets only the metrics that read orders; the refunded amount (from returns) stays as
     * it was and the lifetime value nets it; a full recompute afterwards changes nothing.
     */
    @Test
    void ordersOfSeveralChunksSetTheirCustomersMetricsOnceAtTheEnd() throws Exception {
        importBytes("csv:customers", bytes("Email,Full Name\n", "chunks-1@example.com,One\n", "chunks-2@example.com,Two\n"), null);
        String one = run("{ customers(where: { email: { eq: \"chunks-1@example.com\" } }) { nodes { id } } }").path("customers.nodes[0].id")
                .entity(String.class).get();
        String earlier = run("mutation { createOrder(input: { orderNumber: \"C-0\", customerId: \"" + one + "\", totalAmount: 15.00,"
                + " orderDate: \"2024-12-01T10:00:00Z\", status: DELIVERED }) { id } }").path("createOrder.id").entity(String.class).get();
        run("mutation { createReturn(input: { orderId: \"" + earlier + "\", customerId: \"" + one + "\", resolution: REFUND, amount: 5.00 }) { id } }");
        String header = "Order Number,Customer.Email,Order Date,Total Amount,Status\n";
        byte[] orders = bytes(header,
                "C-1,chunks-1@example.com,2025-01-05T10:00:00Z,10.00,Delivered\n",
                "C-2,chunks-2@example.com,2025-01-06T10:00:00Z,20.00,Delivered\n",
                "C-3,chunks-1@example.com,2025-02-07T10:00:00Z,30.00,Cancelled\n",
                "C-4,chunks-1@example.com,2025-03-08T10:00:00Z,40.00,Pending\n",
                "C-5,nobody@example.com,2025-03-09T10:00:00Z,50.00,Delivered\n",
                "C-6,chunks-2@example.com,2025-04-10T10:00:00Z,60.00,Delivered\n",
                "C-7,chunks-1@example.com,2025-05-11T10:00:00Z,70.00,Delivered\n");
        Map<String, Object> job = importBytes("csv:orders", orders, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 7).containsEntry("errorCount", 1);
        assertThat((String) job.get("message")).contains("6 created, 0 updated, 0 unchanged");
        String fields = "email totalOrders countedOrderTotal refundedAmount lifetimeValue firstPurchaseDate lastPurchaseDate returnedOrders";
        // chunks-1: C-0 (refunded 5.00), C-1, C-4, C-7 count (C-3 is cancelled); chunks-2: C-2 and C-6. C-5 names no customer.
        Map<String, Map<String, Object>> stored = byEmail(allNodes("customers", fields), "chunks-");
        assertThat(stored.get("chunks-1@example.com")).containsEntry("totalOrders", 4).containsEntry("countedOrderTotal", "135.00")
                .containsEntry("refundedAmount", "5.00").containsEntry("lifetimeValue", "130.00")
                .containsEntry("firstPurchaseDate", "2024-12-01").containsEntry("lastPurchaseDate", "2025-05-11")
                .containsEntry("returnedOrders", 1);
        assertThat(stored.get("chunks-2@example.com")).containsEntry("totalOrders", 2).containsEntry("countedOrderTotal", "80.00")
                .containsEntry("lifetimeValue", "80.00").containsEntry("firstPurchaseDate", "2025-01-06")
                .containsEntry("lastPurchaseDate", "2025-04-10");

        // The same file again with C-7 moved to chunks-2 and C-2 cancelled: two updates, in two chunks.
        Map<String, Object> again = importBytes("csv:orders", new String(orders, StandardCharsets.UTF_8)
                .replace("C-7,chunks-1@", "C-7,chunks-2@").replace("20.00,Delivered", "20.00,Cancelled").getBytes(StandardCharsets.UTF_8), null);
        assertThat((String) again.get("message")).contains("0 created, 2 updated, 4 unchanged");
        stored = byEmail(allNodes("customers", fields), "chunks-");
        assertThat(stored.get("chunks-1@example.com")).containsEntry("totalOrders", 3).containsEntry("countedOrderTotal", "65.00")
                .containsEntry("refundedAmount", "5.00").containsEntry("lifetimeValue", "60.00")
                .containsEntry("lastPurchaseDate", "2025-03-08").containsEntry("returnedOrders", 1);
        assertThat(stored.get("chunks-2@example.com")).containsEntry("totalOrders", 2).containsEntry("countedOrderTotal", "130.00")
                .containsEntry("firstPurchaseDate", "2025-04-10").containsEntry("lastPurchaseDate", "2025-05-11");
        assertThat(run("mutation { recomputeRollups(object: \"customers\") }").path("recomputeRollups").entity(Integer.class).get()).isZero();
    }

    /** A finished import reaches plugins as one event with object, job and counts. */
    @Test
    void oneImportFinishedEventReachesPlugins() throws Exception {
        String file = "Email,Full Name\nevent-1@example.com,One\nevent-2@example.com,Two\nnot-an-email,Bad\n";
        String id = upload("csv:customers", bytes(file), null);
        awaitJobWithLines(id);
        importBytes("csv:customers", bytes(file.replace("Two", "Deux")), null);
        String expected = "customers " + id + " csv:customers outcome=SUCCEEDED cancelled=false created=2 updated=0 unchanged=0 failed=1";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> log;
        do {
            sleep(50);
            log = run("{ importLog }").path("importLog").entityList(String.class).get();
        } while (log.stream().noneMatch(expected::equals) && System.nanoTime() < deadline);
        assertThat(log.stream().filter(e -> e.contains(" " + id + " "))).containsExactly(expected);
        assertThat(log.stream().filter(e -> e.contains("updated=1 unchanged=1 failed=1"))).hasSize(1);
    }

    /** A file of a header and no records (a BOM and CRLF, as Excel saves an emptied sheet) succeeds and imports nothing. */
    @Test
    void aHeaderWithoutRecordsImportsNothing() throws Exception {
        int before = customerCount();
        Map<String, Object> job = importBytes("csv:customers", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "Email,Full Name\r\n"), null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 0).containsEntry("total", 0)
                .containsEntry("errorCount", 0).containsEntry("message", "Imported 0 of 0 rows into customers; 0 bad rows skipped;"
                        + " 0 created, 0 updated, 0 unchanged; read as UTF-8, ','-separated");
        assertThat(customerCount()).isEqualTo(before);
    }

    /**
     * A WooCommerce customer export opened and saved in Excel, which writes a long phone number as 4.91511E+12: that row is
     * refused saying why (its digits are gone), the others are imported; a whole number field likewise.
     */
    @Test
    void numbersExcelTurnedIntoScientificNotationAreRefusedSayingSo() throws Exception {
        String scientific = "is a number in scientific notation, as Excel shows long numbers, and its last digits are lost: import the"
                + " original export, or open it in the spreadsheet with the column as Text (Data > From Text/CSV), and save again";
        Map<String, Object> woo = importBytes("woocommerce:customers-csv", bytes(
                "customer_id,first_name,last_name,email,billing_company,billing_phone,billing_city,billing_country\r\n",
                "9101,Jonas,Weber,sci-1@example.de,,4.91511E+12,Berlin,DE\r\n",
                "9102,Mia,Schulz,sci-2@example.de,,+49 30 1234567,Hamburg,DE\r\n"), null);
        assertThat(woo).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 1);
        assertThat(errors(woo)).containsExactly(List.of(1, 2, "billing_phone | Phone", "4.91511E+12", "phone: " + scientific));
        Map<String, Map<String, Object>> stored = customers("sci-");
        assertThat(stored.keySet()).containsExactly("sci-2@example.de");
        assertThat(stored.get("sci-2@example.de")).containsEntry("phone", "+49 30 1234567").containsEntry("woocommerceId", 9102);

        Map<String, Object> generic = importBytes("csv:customers", bytes("Email,Visits\n", "sci-3@example.de,1.23457E+11\n",
                "sci-4@example.de,12\n"), null);
        assertThat(errors(generic)).containsExactly(List.of(1, 2, "Visits", "1.23457E+11", "visits: " + scientific));
        assertThat(customers("sci-").keySet()).containsExactlyInAnyOrder("sci-2@example.de", "sci-4@example.de");
    }

    /** A 0-byte file (an upload that sent nothing, an export that failed) fails with a message, not as a file without rows. */
    @Test
    void anEmptyFileFailsSayingItIsEmpty() throws Exception {
        int before = customerCount();
        Map<String, Object> job = importBytes("csv:customers", new byte[0], null);
        assertThat(job).containsEntry("state", "FAILED");
        assertThat((String) job.get("message")).startsWith("The file is empty: it has no header line");
        assertThat(customerCount()).isEqualTo(before);
    }

    /** The same file again with one cell changed, across two chunks: exactly that customer is written, its updatedAt alone moves. */
    @Test
    void reImportWithOneRowChangedWritesExactlyThatRow() throws Exception {
        String file = "Email,Full Name,Phone\n" + "onechange-1@example.com,One,+12065550101\n" + "onechange-2@example.com,Two,+12065550102\n"
                + "onechange-3@example.com,Three,+12065550103\n" + "onechange-4@example.com,Four,+12065550104\n";
        importBytes("csv:customers", bytes(file), null);
        Map<String, Map<String, Object>> before = customers("onechange-");
        sleep(20);
        Map<String, Object> again = importBytes("csv:customers", bytes(file.replace(",Four,", ",Fourth,")), null);

        assertThat(again).containsEntry("state", "SUCCEEDED").containsEntry("message", "Imported 4 of 4 rows into customers;"
                + " 0 bad rows skipped; 0 created, 1 updated, 3 unchanged; read as UTF-8, ','-separated");
        Map<String, Map<String, Object>> after = customers("onechange-");
        assertThat(after.get("onechange-4@example.com")).containsEntry("fullName", "Fourth");
        assertThat(after.get("onechange-4@example.com").get("updatedAt")).isNotEqualTo(before.get("onechange-4@example.com").get("updatedAt"));
        for (int i = 1; i <= 3; i++) {
            assertThat(after.get("onechange-" + i + "@example.com")).isEqualTo(before.get("onechange-" + i + "@example.com"));
        }
    }

    /** The orders importer of the plugin on a WooCommerce order export with a multi-line address and a CRLF file. */
    @Test
    void wooCommerceOrderExportWithMultiLineAddress() throws Exception {
        byte[] customers = bytes("customer_id,first_name,last_name,email,date_registered,billing_first_name,billing_last_name,"
                + "billing_company,billing_email,billing_phone,billing_city,billing_country,total_spent,order_count\r\n",
                "601,Ola,Nordmann,order-ola@example.no,2025-02-01 08:00:00,Ola,Nordmann,,order-ola@example.no,,Oslo,NO,0,0\r\n");
        assertThat(importBytes("woocommerce:customers-csv", customers, null)).containsEntry("state", "SUCCEEDED");
        byte[] orders = bytes("order_id,order_number,order_date,status,order_total,order_currency,payment_method,customer_id,"
                + "shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,shipping_country\r\n",
                "9001,9001,2025-03-01 10:00:00,wc-completed,\"1,049.00\",NOK,vipps,601,\"Karl Johans gate 1\r\nOppgang B\",,0154,Oslo,NO\r\n",
                "9002,,2025-03-02 10:00:00,on-hold,15.00,NOK,cod,0,Storgata 2,,0155,Oslo,NO\r\n");
        Map<String, Object> job = importBytes("woocommerce:orders-csv", orders, null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2).containsEntry("errorCount", 1);
        assertThat(errors(job)).containsExactly(List.of(1, 2, "order_total", "1,049.00", "total_amount: is not a number"));
        @SuppressWarnings("unchecked")
        Map<String, Object> order = run("{ orders(where: { orderNumber: { eq: \"WC-9002\" } }) { nodes { orderNumber woocommerceId"
                + " status woocommerceStatus totalAmount currency paymentMethod orderDate shippingAddress customer { email } } } }")
                .path("orders.nodes[0]").entity(Map.class).get();
        assertThat(order).containsEntry("woocommerceId", 9002).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", "on-hold")
                .containsEntry("totalAmount", "15.00").containsEntry("currency", "NOK").containsEntry("paymentMethod", "cod")
                .containsEntry("orderDate", "2025-03-02T10:00:00Z").containsEntry("shippingAddress", "Storgata 2 0155 Oslo NO")
                .containsEntry("customer", null);

        // With money() the amount with a thousands separator reads; the address keeps its CRLF.
        String withMoney = mapping("{\"columns\": {\"WooCommerce ID\": \"order_id\", \"Order Number\": \"concat('WC-', order_number | order_id)\","
                + " \"Total Amount\": \"money(order_total)\", \"customer.woocommerce_id\": \"nullif(customer_id, '0')\","
                + " \"Shipping Address\": \"shipping_address_1 + shipping_city\"}}");
        assertThat(importBytes("woocommerce:orders-csv", orders, withMoney)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = run("{ orders(where: { orderNumber: { eq: \"WC-9001\" } }) { nodes { totalAmount shippingAddress"
                + " customer { email } } } }").path("orders.nodes[0]").entity(Map.class).get();
        assertThat(first).containsEntry("totalAmount", "1049.00").containsEntry("shippingAddress", "Karl Johans gate 1\r\nOppgang B Oslo")
                .containsEntry("customer", Map.of("email", "order-ola@example.no"));
    }
}
