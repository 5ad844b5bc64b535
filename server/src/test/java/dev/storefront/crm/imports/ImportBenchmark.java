package dev.storefront.crm.imports;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.imports.csv.ChunkWriter;
import dev.storefront.crm.imports.csv.CsvImport;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.jobs.JobView;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaChangeApplier;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.schema.SchemaYamlLoader;
import dev.storefront.crm.storage.BulkEntries;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.SchemaStore;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: {@code main} writes an N-row WooCommerce-style order export (default 1,000,000) and
 * times, on the same run and the same file, (1) the CRM's import (DuckDB read_csv staging, mapping,
 * per-cell validation, relation lookup of each order's customer by WooCommerce id, key lookup,
 * bulk insert) and (2) a plain {@code INSERT INTO t SELECT * FROM read_csv(...)}.
 *
 * <pre>./mvnw -o -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=cp.txt
 * cd server &amp;&amp; java -cp target/test-classes:target/classes:$(cat cp.txt) dev.storefront.crm.imports.ImportBenchmark 1000000</pre>
 */
public final class ImportBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int customers = 10_000;
        Path dir = Files.createTempDirectory("crm-bench");
        Path csv = dir.resolve("orders.csv");
        long t0 = System.nanoTime();
        write(csv, rows, customers);
        System.out.printf("generated %,d rows (%,d MB) in %.1f s%n", rows, Files.size(csv) >> 20, secs(t0));

        Clock clock = Clock.systemUTC();
        try (DuckDb db = new DuckDb(dir.resolve("crm.duckdb"))) {
            EntryStore store = new EntryStore();
            SchemaService schema = new SchemaService(db, new SchemaStore(), new SchemaChangeApplier(new SchemaStore(), store));
            SchemaYamlLoader yaml = new SchemaYamlLoader(schema);
            yaml.apply(Path.of("../schema"));
            yaml.applyDocuments("bench", List.of(
                    "object: customers\nsingular: Customer\nplural: Customers\nfields:\n  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}\n",
                    "object: orders\nsingular: Order\nplural: Orders\nfields:\n  - {name: WooCommerce ID, api_name: woocommerce_id, type: integer, unique: true}\n"));
            EntryService entries = new EntryService(db, store, new dev.storefront.crm.storage.AggregateStore(), clock, schema::current);
            MetadataSnapshot model = schema.current();
            List<Map<String, Object>> people = new ArrayList<>();
            for (int i = 1; i <= customers; i++) {
                people.add(Map.of("email", "c" + i + "@example.com", "woocommerce_id", i, "full_name", "Customer " + i));
            }
            entries.createAll(model.object("customers"), people);

            Map<String, String> columns = new LinkedHashMap<>();
            columns.put("WooCommerce ID", "order_id");
            columns.put("Order Number", "order_number");
            columns.put("Order Date", "order_date");
            columns.put("Status", "status");
            columns.put("Total Amount", "order_total");
            columns.put("Currency", "order_currency");
            columns.put("customer.woocommerce_id", "customer_id");
            columns.put("Shipping Address", "shipping_address_1 + shipping_city + shipping_country");
            ImportMapping mapping = new ImportMapping("orders", List.of("woocommerce_id"), columns);
            ImporterDef importer = new ImporterDef("bench:orders", null, "bench", "orders", mapping, null, null);
            try (JobRunner jobs = new JobRunner(db, clock, 1, 10)) {
                Path upload = db.stagingDirectory().resolve("upload.csv");
                Files.copy(csv, upload);
                long t1 = System.nanoTime();
                Job job = jobs.submit(null, "bench", Map.of(), null, new CsvImport(db, schema,
                        new ChunkWriter(store, new BulkEntries(), entries, clock), jobs, importer, null, upload, ',', 50_000));
                JobView view;
                do {
                    Thread.sleep(100);
                    view = jobs.find(job.id()).orElseThrow();
                } while (!view.state().finished());
                double crm = secs(t1);
                System.out.printf("CRM import:  %s, %,d rows, %,d bad, %.2f s = %,.0f rows/s (%s)%n", view.state(), view.processed(),
                        view.errorCount(), crm, rows / crm, view.message());
            }
        }

        try (Connection plain = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("plain.duckdb"))) {
            try (PreparedStatement create = plain.prepareStatement("CREATE TABLE plain_orders AS SELECT * FROM read_csv(?) LIMIT 0")) {
                create.setString(1, csv.toString());
                create.execute();
            }
            long t2 = System.nanoTime();
            try (PreparedStatement insert = plain.prepareStatement("INSERT INTO plain_orders SELECT * FROM read_csv(?)")) {
                insert.setString(1, csv.toString());
                insert.execute();
            }
            double raw = secs(t2);
            try (ResultSet count = plain.createStatement().executeQuery("SELECT count(*) FROM plain_orders")) {
                count.next();
                System.out.printf("plain INSERT INTO ... SELECT FROM read_csv: %,d rows, %.2f s = %,.0f rows/s%n", count.getLong(1), raw, rows / raw);
            }
        }
    }

    private static void write(Path csv, int rows, int customers) throws Exception {
        Random random = new Random(42);
        String[] statuses = {"Pending", "Fulfilled", "Shipped", "Delivered", "Refunded", "Cancelled"};
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("order_id,order_number,order_date,status,order_total,order_currency,customer_id,billing_email,shipping_address_1,shipping_city,shipping_country\n");
            for (int i = 1; i <= rows; i++) {
                int customer = 1 + random.nextInt(customers);
                out.write(i + ",WC-" + i + ",2025-0" + (1 + i % 9) + "-" + String.format("%02d", 1 + i % 28) + " 1" + (i % 10) + ":2" + (i % 10)
                        + ":00," + statuses[i % statuses.length] + "," + (random.nextInt(50000) / 100.0) + ",USD," + customer
                        + ",c" + customer + "@example.com,\"" + (i % 500) + " Main Street, Apt " + (i % 7) + "\",Springfield,US\n");
            }
        }
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
