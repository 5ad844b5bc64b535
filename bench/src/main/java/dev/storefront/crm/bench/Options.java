package dev.storefront.crm.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run. Scales: {@code --demo} (the run command's 2,000 customers), {@code --quick} (100k
 * customers, 1M orders, the default), {@code --full} (1M customers, 10M orders) and {@code --huge}
 * (10M customers, 100M orders, on demand: fewer runs of each row, and the generated store is used up).
 */
record Options(String scale, int customers, long orders, long seed, int warmup, int runs, double throughputSeconds,
               List<Integer> clients, int bulkRuns, int bulkSize, int addFieldRuns, int exportRuns, int startRuns,
               int importRows, int bulkCustomers, Path jar, Path schema, Path dataDir, Path resultsDir, Path database, Path csv, Path exportCsv, Path peer,
               boolean profile, List<String> serverArgs, List<String> serverJvmArgs, List<Integer> schemaObjects,
               boolean schemaOnly, List<String> only) {

    static final String USAGE = """
            usage: bench/run.sh [--demo | --quick | --full | --huge] [options]
              --huge                              10M customers, 100M orders, on demand: 5 runs a row, 1 of the export
                                                  and CLV; disk for two copies of a store ~10x the full one, and the
                                                  generated store becomes the SQL side's copy (the next run generates it)
              --customers N --orders N --seed N   store size and seed (generated once, then reused from --data)
              --runs N --warmup N                 repeats per row (median and p95 over the runs), after N warm-up
                                                  requests on each side (default 5,000, cut short after 15 s a row)
              --throughput-seconds S              time per concurrency level of the throughput rows
              --database PATH                     use this DuckDB file as the store (copied, never changed)
              --csv DIR                           build the store from DIR/{customers,orders,support_tickets}.csv
              --export-csv DIR                    write the store's customers, orders, support_tickets as CSV and exit
              --peer DIR                          also ask another GraphQL server the read questions DIR names after
                                                  the rows (customer-by-id, filtered-page, last-5-orders, tickets,
                                                  revenue-by-month), each row right after ours; see bench/peer/README.md
              --import-rows N                     rows of each CSV import row (customers, then orders); default
                                                  10,000 demo, 100,000 quick, 1,000,000 full
              --bulk-customers N                  customers in the Shopify bulk JSONL rows' files, with ten order lines
                                                  each (an order and its two line items); default 2,000 demo,
                                                  200,000 quick, 1,000,000 full (the issue's 1M customers + 10M order lines)
              --profile                           also time the SQL the server runs per request (debug log)
              --jar PATH --schema DIR --data DIR --results DIR
                                                  the server jar (default server/target/app/storefront-crm.jar, started
                                                  with the argument file beside it, as README runs it, by the java
                                                  running the bench), the model, the stores and the result files
              --server-arg ARG                    pass ARG to the server (repeatable), e.g. --server-arg=--crm.graphql.max-batch-size=20000
              --server-jvm-arg ARG                pass ARG to the server's JVM (repeatable), e.g. -Xmx2g or
                                                  -XX:StartFlightRecording=filename=bench/data/work/server.jfr,settings=profile
              --schema-objects N,N                model sizes of the schema-build rows, among 10, 200, 1000 (default
                                                  10,200,1000; an empty value skips them)
              --schema-only                       only the schema-build rows (no store is generated)
              --add-field-runs N                  addFields timed per addField row (default 3); the schema-build
                                                  rows first warm up with --warmup addFields (and deletes) of
                                                  another object, at most 10 s
              --only TEXT,TEXT                    only the rows whose name contains one of these (case-insensitive),
                                                  e.g. --only 'customer by id,last 5 orders' (server start is always timed)
              --dashboard-only                    only the dashboard rows (each widget, the whole board): --only widget,dashboard
            usage: bench/run.sh --compare A.json B.json
                                                  two runs' medians and ratios side by side, row by row
            usage: bench/run.sh --peer DIR [RUNS]
                                                  the questions DIR/*.graphql (variables in <name>.json) against the
                                                  GraphQL endpoint in DIR/endpoint (URL, then header lines), RUNS
                                                  times each (default 20) after RUNS/4 warm-ups; see bench/peer/README.md
            """;

    static Options parse(String[] args) {
        String scale = "quick";
        for (String arg : args) {
            if (arg.equals("--demo") || arg.equals("--quick") || arg.equals("--full") || arg.equals("--huge")) {
                scale = arg.substring(2);
            }
        }
        int customers = switch (scale) {
            case "demo" -> 2_000;
            case "full" -> 1_000_000;
            case "huge" -> 10_000_000;
            default -> 100_000;
        };
        boolean large = scale.equals("full") || scale.equals("huge");
        long orders = 0;
        long seed = 42;
        // The server's JIT needs thousands of requests before a short request's time settles (quiet, customer by id:
        // 7.9 ms after 200, 2.5 ms after ~3,200, 1.3 ms after ~6,000); both sides get the same warm-up, and a row's
        // warm-up stops after Schedule.WARMUP_LIMIT.
        int warmup = 5_000;
        // At 100M orders a whole-table row takes seconds a run: fewer runs, the export and CLV once.
        int runs = scale.equals("huge") ? 5 : large ? 20 : 30;
        double throughputSeconds = large ? 8 : 3;
        int bulkRuns = scale.equals("full") ? 5 : 3;
        int addFieldRuns = 3;
        int exportRuns = scale.equals("huge") ? 1 : large ? 2 : 3;
        int startRuns = 2;
        int importRows = switch (scale) {
            case "demo" -> 10_000;
            case "full", "huge" -> 1_000_000;
            default -> 100_000;
        };
        int bulkCustomers = switch (scale) {
            case "demo" -> 2_000;
            case "full", "huge" -> 1_000_000;
            default -> 200_000;
        };
        // The README's launch: the jar the build unpacks, with its argument file (see ServerProcess).
        Path jar = Path.of("server/target/app/storefront-crm.jar");
        Path schema = Path.of("schema");
        Path dataDir = Path.of("bench/data");
        Path resultsDir = Path.of("bench/results");
        Path database = null;
        Path csv = null;
        Path exportCsv = null;
        Path peer = null;
        boolean profile = false;
        boolean schemaOnly = false;
        List<String> serverArgs = new ArrayList<>();
        List<String> serverJvmArgs = new ArrayList<>();
        List<Integer> schemaObjects = List.of(10, 200, 1000);
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--demo", "--quick", "--full", "--huge" -> { }
                case "--profile" -> profile = true;
                case "--schema-only" -> schemaOnly = true;
                case "--dashboard-only" -> {
                    only = List.of("widget", "dashboard");
                    schemaObjects = List.of();
                }
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> {
                    String value;
                    if (arg.contains("=")) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
                    }
                    switch (name) {
                        case "--customers" -> customers = Integer.parseInt(value);
                        case "--orders" -> orders = Long.parseLong(value);
                        case "--seed" -> seed = Long.parseLong(value);
                        case "--runs" -> runs = Integer.parseInt(value);
                        case "--warmup" -> warmup = Integer.parseInt(value);
                        case "--throughput-seconds" -> throughputSeconds = Double.parseDouble(value);
                        case "--bulk-runs" -> bulkRuns = Integer.parseInt(value);
                        case "--export-runs" -> exportRuns = Integer.parseInt(value);
                        case "--add-field-runs" -> addFieldRuns = Integer.parseInt(value);
                        case "--import-rows" -> importRows = Integer.parseInt(value);
                        case "--bulk-customers" -> bulkCustomers = Integer.parseInt(value);
                        case "--jar" -> jar = Path.of(value);
                        case "--schema" -> schema = Path.of(value);
                        case "--data" -> dataDir = Path.of(value);
                        case "--results" -> resultsDir = Path.of(value);
                        case "--database" -> database = Path.of(value);
                        case "--csv" -> csv = Path.of(value);
                        case "--export-csv" -> exportCsv = Path.of(value);
                        case "--peer" -> peer = Path.of(value);
                        case "--server-arg" -> serverArgs.add(value);
                        case "--server-jvm-arg" -> serverJvmArgs.add(value);
                        case "--schema-objects" -> schemaObjects = schemaObjects(value);
                        case "--only" -> only = java.util.Arrays.stream(value.split(",")).map(String::strip)
                                .filter(text -> !text.isEmpty()).map(text -> text.toLowerCase(java.util.Locale.ROOT)).toList();
                        default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
                    }
                }
            }
        }
        if (schemaOnly) {
            scale = "schema";
        }
        if (orders == 0) {
            orders = scale.equals("demo") ? 5L * customers : 10L * customers;
        }
        return new Options(scale, customers, orders, seed, warmup, runs, throughputSeconds, List.of(1, 8, 32), bulkRuns,
                10_000, addFieldRuns, exportRuns, startRuns, importRows, bulkCustomers, jar, schema, dataDir, resultsDir, database, csv, exportCsv, peer,
                profile, List.copyOf(serverArgs), List.copyOf(serverJvmArgs), schemaObjects, schemaOnly, only);
    }

    /** Whether the row named {@code work} is to run: every row, unless {@code --only} chose some. */
    boolean wanted(String work) {
        String name = work.toLowerCase(java.util.Locale.ROOT);
        return only.isEmpty() || only.stream().anyMatch(name::contains);
    }

    /** A comma-separated choice among {@link Report#SCHEMA_OBJECTS}; empty skips the schema-build rows. */
    private static List<Integer> schemaObjects(String value) {
        List<Integer> chosen = value.isBlank() ? List.of()
                : java.util.Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
        if (!Report.SCHEMA_OBJECTS.containsAll(chosen)) {
            throw new IllegalArgumentException("--schema-objects takes some of " + Report.SCHEMA_OBJECTS + "\n" + USAGE);
        }
        return chosen;
    }

    /** The same options for a store given as a file or CSV: its own size, named by where it came from. */
    Options forStore(String name, int storeCustomers, long storeOrders) {
        return new Options(name, storeCustomers, storeOrders, seed, warmup, runs, throughputSeconds, clients, bulkRuns,
                bulkSize, addFieldRuns, exportRuns, startRuns, importRows, bulkCustomers, jar, schema, dataDir, resultsDir, database, csv, exportCsv, peer,
                profile, serverArgs, serverJvmArgs, schemaObjects, schemaOnly, only);
    }

    /** Whether the run may use up the generated store instead of copying it: at 100M orders, three copies do not fit a disk. */
    boolean consumesStore() {
        return scale.equals("huge");
    }

    /** Where the generated store of this size and seed is kept between runs. */
    Path generatedDatabase() {
        return dataDir.resolve(customers + "-customers-" + orders + "-orders-seed-" + seed).resolve("crm.duckdb");
    }
}
