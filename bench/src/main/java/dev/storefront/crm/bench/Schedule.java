package dev.storefront.crm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Runs every row on one side, in the same order on both: reads first, then throughput, then writes. */
final class Schedule {

    /** What one side measured, by row. */
    record Result(Map<String, Samples> samples, Map<String, String> answers, Map<String, String> notes) {
    }

    private final Options options;
    private final String side;
    private final Map<String, Samples> samples = new LinkedHashMap<>();
    private final Map<String, String> answers = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private SqlTimeLog sqlTime;

    Schedule(Options options, String side) {
        this.options = options;
        this.side = side;
    }

    Result runCrm(Path database, Path log) throws Exception {
        java.nio.file.Files.deleteIfExists(log);
        List<String> args = new ArrayList<>(options.serverArgs());
        if (options.profile()) {
            args.add("--logging.level.dev.storefront.crm.storage.Transaction=DEBUG");
        }
        double[] starts = new double[options.startRuns()];
        ServerProcess server = null;
        for (int i = 0; i < starts.length; i++) {
            if (server != null) {
                server.close();
            }
            server = ServerProcess.start(options.jar(), database, options.schema(), log, options.serverJvmArgs(), args,
                    Duration.ofMinutes(10));
            starts[i] = server.startMillis();
        }
        samples.put(Report.START, new Samples(starts));
        notes.put(Report.START, String.format(Locale.ROOT, "heap after start (after GC) %.0f MB", server.heapAfterGcMb()));
        BenchMain.log("ours: server started in " + Math.round(starts[starts.length - 1]) + " ms (pid " + server.pid() + ")");
        if (options.profile()) {
            sqlTime = new SqlTimeLog(log);
        }
        try (CrmStore store = new CrmStore(server)) {
            rows(store, server);
        } finally {
            server.close();
        }
        return new Result(samples, answers, notes);
    }

    Result runSql(Path database, Path exportFile) throws Exception {
        double[] starts = new double[options.startRuns()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = SqlStore.openMillis(database);
        }
        samples.put(Report.START, new Samples(starts));
        try (SqlStore store = new SqlStore(database, exportFile)) {
            rows(store, null);
        }
        return new Result(samples, answers, notes);
    }

    private void rows(Store store, ServerProcess server) throws Exception {
        int warmup = options.warmup();
        int runs = options.runs();
        int customers = options.customers();
        answers.put(Report.ONE, store.customerById(customers / 2));
        measure(Report.ONE, warmup, runs, run -> store.customerById(1 + Math.floorMod(run * 2_654_435_761L, customers)));
        answers.put(Report.FILTER, store.filteredPage());
        measure(Report.FILTER, warmup, runs, run -> store.filteredPage());
        answers.put(Report.ORDERS, store.pageWithLastOrders());
        measure(Report.ORDERS, warmup, runs, run -> store.pageWithLastOrders());
        answers.put(Report.TICKETS, store.ticketCountFilter());
        measure(Report.TICKETS, warmup, runs, run -> store.ticketCountFilter());
        answers.put(Report.REVENUE, store.revenueByMonth());
        measure(Report.REVENUE, warmup, runs, run -> store.revenueByMonth());
        answers.put(Report.SEGMENTS, store.customersBySegment());
        measure(Report.SEGMENTS, warmup, runs, run -> store.customersBySegment());
        BenchMain.log(side + ": reads done");

        for (int clients : options.clients()) {
            samples.put(Report.throughput(clients), Samples.of(requestsPerSecond(store, clients)));
        }
        BenchMain.log(side + ": throughput done");

        measure(Report.UPDATE, warmup, runs, run -> store.updateCustomer(1 + Math.floorMod(run, customers), "bench note " + run));
        int size = options.bulkSize();
        measure(Report.BULK, 1, options.bulkRuns(), run -> {
            int created = store.createCustomers(run < 0 ? "w" + -run : "r" + run, size);
            if (created != size) {
                throw new IllegalStateException(side + " created " + created + " customers, not " + size);
            }
        });
        measure(Report.ADD_FIELD, 0, options.addFieldRuns(), run -> store.addFieldAndRead("Bench Field " + run));
        BenchMain.log(side + ": writes done");

        long[] exported = new long[1];
        double[] rates = new double[options.exportRuns()];
        double peak = 0;
        for (int i = 0; i < rates.length; i++) {
            long started = System.nanoTime();
            if (server != null) {
                try (HeapSampler heap = new HeapSampler(server.pid())) {
                    exported[0] = store.exportCustomers();
                    peak = Math.max(peak, heap.peakMb());
                }
            } else {
                exported[0] = store.exportCustomers();
            }
            rates[i] = exported[0] / ((System.nanoTime() - started) / 1e9);
        }
        samples.put(Report.EXPORT, new Samples(rates));
        answers.put(Report.EXPORT, exported[0] + " rows");
        if (server != null) {
            notes.put(Report.EXPORT, String.format(Locale.ROOT, "%d rows, peak heap %.0f MB", exported[0], peak));
        } else {
            notes.put(Report.EXPORT, "SQL side: DuckDB COPY ... TO csv");
        }
        BenchMain.log(side + ": export done");
    }

    private void measure(String work, int warmup, int runs, Samples.Work action) throws Exception {
        if (sqlTime == null) {
            samples.put(work, Samples.time(warmup, runs, action));
            return;
        }
        List<Double> inSql = new ArrayList<>();
        List<Double> statements = new ArrayList<>();
        samples.put(work, Samples.time(warmup, runs, run -> {
            sqlTime.mark();
            action.run(run);
            if (run >= 0) {
                double[] spent = sqlTime.sinceMark();
                statements.add(spent[0]);
                inSql.add(spent[1]);
            }
        }));
        Samples sql = new Samples(inSql.stream().mapToDouble(Double::doubleValue).toArray());
        Samples count = new Samples(statements.stream().mapToDouble(Double::doubleValue).toArray());
        notes.put(work, String.format(Locale.ROOT, "profile: SQL in server %s ms median over %.0f statements",
                Report.number(sql.median()), count.median()));
    }

    /** Requests answered per second by {@code clients} threads asking for the filtered page without pause. */
    private double requestsPerSecond(Store store, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            runFor(pool, store, clients, Math.min(1.0, options.throughputSeconds() / 3));
            long started = System.nanoTime();
            long done = runFor(pool, store, clients, options.throughputSeconds());
            return done / ((System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static long runFor(ExecutorService pool, Store store, int clients, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    store.filteredPage();
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return done.get();
    }
}
