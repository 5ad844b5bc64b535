package dev.storefront.crm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The table and its JSON twin. */
final class Report {

    static final String ONE = "customer by id";
    static final String FILTER = "page of 50, 3-condition filter + 2-key sort, totalCount";
    static final String ORDERS = "page of 50 customers with their last 5 orders";
    static final String TICKETS = "customers with > 2 tickets in 180 days (page + count)";
    static final String REVENUE = "aggregate: revenue by month, all orders";
    static final String SEGMENTS = "aggregate: customers by segment";
    static final String BULK = "bulk create 10,000 customers (one mutation)";
    static final String UPDATE = "update one customer by id";
    static final String BURST = "customer by id while another key bursts (8 clients)";
    static final String ADD_FIELD = "addField on customers, until next request sees it";
    static final String CLV = "CLV: fit BG/NBD + Gamma-Gamma, score every customer";
    static final String METRICS = "customer metrics: recompute every rollup and formula of every customer";
    static final String RECLASSIFY = "segmentation: reclassify every customer (recency-value), moves recorded";
    static final String RFM = "segmentation: RFM scores and group of every customer";
    static final String ORDER = "create one order of a customer (its metrics kept in the transaction)";
    static final String ORDER_NO_CUSTOMER = "create one order without a customer (no metrics to keep)";
    static final String EXPORT = "CSV export of all customers (rows/s)";
    static final String START = "server start to first answer (SQL: open file + first query)";
    static final String IMPORT_CUSTOMERS = "CSV import of new customers, csv:customers (rows/s)";
    static final String IMPORT_ORDERS = "CSV import of orders, customer by email (rows/s)";
    static final String IMPORT_WOO_PER_ITEM = "CSV import of WooCommerce orders, one row per item, 3 items an order (item rows/s)";
    static final String WEBHOOKS = "Shopify webhooks: 1,000 deliveries, 8 senders, stored (deliveries/s)";
    static final String WEBHOOK_ACK = "Shopify webhooks: p99 acknowledgement of those deliveries";
    static final String SHOPIFY_BULK = "Shopify bulk JSONL, first sync: customers + orders, 2 lines each (lines/s)";
    static final String SHOPIFY_BULK_INGEST = "Shopify bulk JSONL, ingest alone: downloaded files to committed (lines/s)";

    /** The model sizes the schema-build rows can run at; {@code --schema-objects} picks among them. */
    static final List<Integer> SCHEMA_OBJECTS = List.of(10, 200, 1000);

    static String schemaStart(int objects) {
        return "start on an empty store of " + objects + " objects (one schema build)";
    }

    static String schemaAddField(int objects) {
        return "addField at " + objects + " objects, until next request sees it";
    }

    static String schemaAddFieldMillion(int objects) {
        return "addField at " + objects + " objects, 1,000,000 rows, until seen";
    }
    static final String WORKFLOW_RUNS = "workflow runs started by up to 100,000 segment moves at once (runs/s)";

    static String throughput(int clients) {
        return "filtered page, " + clients + " client" + (clients == 1 ? "" : "s") + " (req/s)";
    }

    static final List<String> WORK = Stream.of(
            Stream.of(ONE, FILTER, ORDERS, TICKETS, REVENUE, SEGMENTS),
            DashboardWidget.rows().stream(),
            Stream.of(BULK, UPDATE, throughput(1), throughput(8), throughput(32), BURST, ADD_FIELD, CLV, METRICS, RECLASSIFY, RFM, ORDER,
                    ORDER_NO_CUSTOMER, EXPORT, IMPORT_CUSTOMERS, IMPORT_ORDERS, IMPORT_WOO_PER_ITEM, WEBHOOKS, WEBHOOK_ACK, SHOPIFY_BULK, SHOPIFY_BULK_INGEST,
                    WORKFLOW_RUNS, START),
            SCHEMA_OBJECTS.stream().flatMap(objects -> Stream.of(schemaStart(objects), schemaAddField(objects),
                    schemaAddFieldMillion(objects))))
            .flatMap(rows -> rows).toList();

    private final Options options;
    private final Instant began;
    private final Map<String, Object> store;
    private final List<Row> rows;

    Report(Options options, Instant began, Map<String, Object> store, List<Row> rows) {
        this.options = options;
        this.began = began;
        this.store = store;
        this.rows = rows;
    }

    /** Each row of both sides; a peer's figures ({@code --peer}), when it answered the row, go into its note. */
    static List<Row> pair(Schedule.Result ours, Schedule.Result sql, Schedule.Result peer) {
        List<Row> rows = new ArrayList<>();
        for (String work : WORK) {
            // A row neither side ran (a model size not chosen) is left out; one with only a note says why it was not timed.
            if (!ours.samples().containsKey(work) && !sql.samples().containsKey(work) && !ours.notes().containsKey(work)) {
                continue;
            }
            Row.Unit unit = work.contains("/s)") ? Row.Unit.PER_SECOND : Row.Unit.MS;
            String ourAnswer = ours.answers().get(work);
            String sqlAnswer = sql.answers().get(work);
            String check = ourAnswer == null || sqlAnswer == null ? ""
                    : ourAnswer.equals(sqlAnswer) ? "same" : "DIFFERENT ours=" + shorten(ourAnswer) + " sql=" + shorten(sqlAnswer);
            List<String> notes = new ArrayList<>();
            if (ours.notes().containsKey(work)) {
                notes.add(ours.notes().get(work));
            }
            if (sql.notes().containsKey(work)) {
                notes.add(sql.notes().get(work));
            }
            if (peer.samples().containsKey(work)) {
                notes.add(peerNote(peer.samples().get(work), unit, ourAnswer, peer.answers().get(work)));
            }
            rows.add(new Row(work, unit, ours.samples().get(work), sql.samples().get(work), check, String.join("; ", notes)));
        }
        return rows;
    }

    private static String peerNote(Samples samples, Row.Unit unit, String ourAnswer, String peerAnswer) {
        String check = peerAnswer == null ? "" : peerAnswer.equals(ourAnswer) ? ", same answer" : ", DIFFERENT answer " + shorten(peerAnswer);
        return "peer median " + number(samples.median()) + " " + unit.label + ", p95 " + number(samples.p95()) + " " + unit.label + check;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Storefront CRM bench, %s scale: %,d customers, %,d orders; %d cores, Java %s%n",
                options.scale(), options.customers(), options.orders(), Runtime.getRuntime().availableProcessors(),
                Runtime.version().feature()));
        out.append(String.format(Locale.ROOT, "%-62s | %10s | %10s | %10s | %10s | %6s | %s%n", "work", "ours med", "ours p95",
                "SQL med", "SQL p95", "ratio", "check / notes"));
        out.append("-".repeat(62)).append("-|-").append("-".repeat(10)).append("-|-").append("-".repeat(10)).append("-|-")
                .append("-".repeat(10)).append("-|-").append("-".repeat(10)).append("-|-").append("-".repeat(6)).append("-|-")
                .append("-".repeat(20)).append('\n');
        for (Row row : rows) {
            String unit = row.unit().label;
            out.append(String.format(Locale.ROOT, "%-62s | %10s | %10s | %10s | %10s | %6s | %s%n", row.work(),
                    value(row.ours(), true, unit), value(row.ours(), false, unit), value(row.sql(), true, unit),
                    value(row.sql(), false, unit), Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", row.ratio()),
                    String.join("; ", List.of(row.check(), row.note()).stream().filter(s -> s != null && !s.isEmpty()).toList())));
        }
        out.append("ratio: ours / SQL for times, SQL / ours for rates; above 1 means the CRM is slower.\n");
        return out.toString();
    }

    private static String value(Samples samples, boolean median, String unit) {
        if (samples == null || samples.count() == 0) {
            return "-";
        }
        return number(median ? samples.median() : samples.p95()) + " " + unit;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    Path writeJson(Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("startedAt", began.toString());
        json.put("scale", options.scale());
        json.put("customers", options.customers());
        json.put("orders", options.orders());
        json.put("seed", options.seed());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("java", System.getProperty("java.version"));
        json.put("profile", options.profile());
        json.put("store", store);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("work", row.work());
            entry.put("unit", row.unit().label);
            entry.put("ours", side(row.ours()));
            entry.put("sql", side(row.sql()));
            entry.put("ratio", Double.isNaN(row.ratio()) ? null : row.ratio());
            entry.put("check", row.check());
            entry.put("note", row.note());
            list.add(entry);
        }
        json.put("rows", list);
        String name = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(began)
                + "-" + options.scale() + (options.profile() ? "-profile" : "") + ".json";
        Path file = folder.resolve(name);
        Files.write(file, GraphQl.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        return file;
    }

    private static Map<String, Object> side(Samples samples) {
        if (samples == null) {
            return null;
        }
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("median", samples.median());
        side.put("p95", samples.p95());
        side.put("samples", samples.values());
        return side;
    }

    private static String shorten(String answer) {
        return answer.length() <= 60 ? answer : answer.substring(0, 57) + "...";
    }
}
