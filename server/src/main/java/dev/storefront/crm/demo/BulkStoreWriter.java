package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Company;
import dev.storefront.crm.demo.DemoData.Product;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.GeneratorScript;
import dev.storefront.crm.storage.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo store at a scale the in-memory generator cannot hold (a million customers, ten million
 * orders): the catalogue and companies come from the same generators as the small store and go
 * through {@link EntryService}; everything else is generated inside DuckDB by
 * {@code demo/bulk-store.sql}, one {@code INSERT ... SELECT} per table, with the same distributions.
 * Values are valid by construction, so rows skip the per-row checks of a client's write.
 */
final class BulkStoreWriter {

    private static final String SCRIPT = "/demo/bulk-store.sql";
    private static final int PRODUCTS = 200;
    private static final int CUSTOMERS_PER_COMPANY = 25;
    private static final double TICKETS_PER_CUSTOMER = 0.75;
    /** Orders per customer that the tiers of {@link PurchasePlanner} give without stretching, beyond one-time buyers. */
    private static final double ONE_TIME_ORDERS = 0.40;
    private static final double REPEAT_ORDERS = 4.42;
    private static final List<String> TABLES = List.of("companies", "products", "customers", "orders", "order_items",
            "campaigns", "campaign_recipients", "returns", "support_tickets");

    private final long seed;
    private final int customers;
    private final long orders;
    private final LocalDate today;
    private final OffsetDateTime now;

    BulkStoreWriter(long seed, int customers, long orders, LocalDate today, OffsetDateTime now) {
        if (customers < 1 || orders < 1) {
            throw new IllegalArgumentException("A bulk store needs customers and orders, not " + customers + "/" + orders);
        }
        this.seed = seed;
        this.customers = customers;
        this.orders = orders;
        this.today = today;
        this.now = now;
    }

    /** Writes the catalogue and the companies, which the script's rows refer to, in the caller's transaction. */
    int writeCatalogue(EntryService entries, MetadataSnapshot model) {
        DemoRandom random = new DemoRandom(seed);
        List<Product> products = new CatalogGenerator(random.split()).products(PRODUCTS);
        List<Company> companies = new PeopleGenerator(random.split()).companies(Math.max(1, customers / CUSTOMERS_PER_COMPANY));
        new DemoWriter(entries, model).write(new DemoData(companies, products, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of()));
        return companies.size();
    }

    /** Writes every other row of the store, each table's rows committed by their own statement. */
    void writeRows(DuckDb db, int companyCount) {
        GeneratorScript.run(db, statements(companyCount));
    }

    /** The rows of each table the generator writes. */
    static Map<String, Long> rows(Transaction tx) {
        Map<String, Long> written = new LinkedHashMap<>();
        TABLES.forEach(table -> written.put(table, GeneratorScript.rows(tx, table)));
        return written;
    }

    /**
     * Gives the written rows the engine's computed fields, in the caller's transaction. The script's own
     * customer totals only steer the generated campaigns; the stored metrics are the engine's.
     */
    void recompute(Transaction tx, EntryService entries, MetadataSnapshot model) {
        model.objects().forEach(entries::recomputeRollups);
        // Plugins that keep answers (the dashboard's cache) hear of the script's rows as of any bulk write.
        model.objects().forEach(object -> entries.writtenByScript(tx, object));
    }

    List<String> statements(int companyCount) {
        double scale = Math.max(0.1, ((double) orders / customers - ONE_TIME_ORDERS) / REPEAT_ORDERS);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("seed", Long.toString(seed));
        values.put("customers", Integer.toString(customers));
        values.put("orders", Long.toString(orders));
        values.put("scale", String.format(Locale.ROOT, "%.6f", scale));
        values.put("companies", Integer.toString(companyCount));
        values.put("tickets", Long.toString(Math.round(customers * TICKETS_PER_CUSTOMER)));
        values.put("today", today.toString());
        values.put("now", now.withOffsetSameInstant(ZoneOffset.UTC).toString());
        values.put("cities", Names.CITIES.stream().map(c -> "{'name': " + quote(c.name()) + ", 'state': " + quote(c.state())
                + ", 'zip': " + quote(c.zipPrefix()) + ", 'area': " + quote(c.areaCode()) + "}")
                .collect(Collectors.joining(", ", "[", "]")));
        values.put("streets", list(Names.STREETS));
        values.put("street_types", list(Names.STREET_TYPES));
        values.put("first_names", list(Names.FIRST_NAMES));
        values.put("last_names", list(Names.LAST_NAMES));
        values.put("email_domains", list(Names.EMAIL_DOMAINS));
        values.put("customer_notes", list(Names.CUSTOMER_NOTES));
        values.put("return_reasons", list(Names.RETURN_REASONS));
        values.put("order_subjects", list(Names.ORDER_SUBJECTS));
        values.put("return_subjects", list(Names.RETURN_SUBJECTS));
        values.put("general_subjects", list(Names.GENERAL_SUBJECTS));
        String script = script();
        for (Map.Entry<String, String> value : values.entrySet()) {
            script = script.replace("{" + value.getKey() + "}", value.getValue());
        }
        return Arrays.stream(script.split(";\\s*\\n")).map(String::strip).filter(s -> !s.isEmpty())
                .filter(s -> !s.lines().allMatch(line -> line.isBlank() || line.startsWith("--"))).toList();
    }

    private static String script() {
        try (InputStream in = BulkStoreWriter.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + SCRIPT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String list(List<String> words) {
        return words.stream().map(BulkStoreWriter::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "''") + "'";
    }
}
