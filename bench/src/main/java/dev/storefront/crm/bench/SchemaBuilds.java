package dev.storefront.crm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Schema builds at a given number of objects. Ours: the server started on an empty store whose
 * schema folder declares that many generated objects (one schema build at start), then addField on
 * one of them until the next request sees the field, first with the tables empty and again once
 * that object holds a million rows. SQL: the same tables created by DDL in a new DuckDB file, then
 * {@code ALTER TABLE ... ADD COLUMN} and a read of the column, on the same rows.
 */
final class SchemaBuilds {

    private static final int MILLION = 1_000_000;

    private final Options options;
    private final Path work;

    SchemaBuilds(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(int objects, Schedule.Result ours, Schedule.Result sql) throws Exception {
        Path folder = work.resolve("schema-" + objects);
        Path schema = writeSchema(folder.resolve("schema"), objects);
        Path database = fresh(folder.resolve("crm.duckdb"));
        Path handDatabase = fresh(folder.resolve("sql.duckdb"));
        double sqlStart;
        try (ServerProcess server = start(database, schema, folder);
             Connection hand = DriverManager.getConnection("jdbc:duckdb:" + handDatabase);
             Statement statement = hand.createStatement()) {
            long started = System.nanoTime();
            for (int i = 0; i < objects; i++) {
                statement.execute(createTable(i));
            }
            sqlStart = (System.nanoTime() - started) / 1e6;
            ours.samples().put(Report.schemaStart(objects), Samples.of(server.startMillis()));
            addFields(server, statement, objects, Report.schemaAddField(objects), "empty", ours, sql);
        }
        sql.samples().put(Report.schemaStart(objects), Samples.of(sqlStart));
        sql.notes().put(Report.schemaStart(objects), String.format(Locale.ROOT, "SQL side: %d CREATE TABLE", objects));
        // The first object gets its rows while no server has the file open; then the same addField again.
        for (Path file : List.of(database, handDatabase)) {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                 Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO " + objectName(0) + " (id, created_at, updated_at, name, amount, count)"
                        + " SELECT i, now(), now(), 'thing ' || i, i / 100, i FROM range(1, " + (MILLION + 1) + ") t(i)");
            }
        }
        try (ServerProcess server = start(database, schema, folder);
             Connection hand = DriverManager.getConnection("jdbc:duckdb:" + handDatabase);
             Statement statement = hand.createStatement()) {
            addFields(server, statement, objects, Report.schemaAddFieldMillion(objects), "million", ours, sql);
        }
        BenchMain.log(String.format(Locale.ROOT, "schema builds at %d objects: start %.0f ms, addField median %.0f ms (SQL %.1f ms),"
                        + " at 1M rows %.0f ms (SQL %.1f ms)", objects, ours.samples().get(Report.schemaStart(objects)).median(),
                ours.samples().get(Report.schemaAddField(objects)).median(), sql.samples().get(Report.schemaAddField(objects)).median(),
                ours.samples().get(Report.schemaAddFieldMillion(objects)).median(),
                sql.samples().get(Report.schemaAddFieldMillion(objects)).median()));
    }

    private ServerProcess start(Path database, Path schema, Path folder) throws Exception {
        return ServerProcess.start(options.jar(), database, schema, folder.resolve("server.log"), options.serverJvmArgs(),
                options.serverArgs(), Duration.ofHours(1));
    }

    /**
     * addField on the first object, ours then by hand, {@code addFieldRuns} times; fields named apart by
     * {@code tag}. First the warm-up of the other rows ({@code --warmup}, at most {@link Schedule#WARMUP_LIMIT}):
     * the same addField on the last object, whose table is empty, and ours deleted again so that the model
     * timed has its size (a server's JIT is still compiling the pipeline after a hundred changes).
     */
    private void addFields(ServerProcess server, Statement statement, int objects, String row, String tag, Schedule.Result ours,
                           Schedule.Result sql) throws Exception {
        int runs = options.addFieldRuns();
        double[] ourAdds = new double[runs];
        double[] sqlAdds = new double[runs];
        try (CrmStore crm = new CrmStore(server)) {
            long warm = System.nanoTime() + Schedule.WARMUP_LIMIT.toNanos();
            for (int i = 0; i < options.warmup() && System.nanoTime() < warm; i++) {
                String field = crm.addFieldAndRead(objectName(objects - 1), listField(objects - 1), "Warm Up " + tag + " " + i);
                crm.deleteField(objectName(objects - 1), field);
                addColumnAndRead(statement, objects - 1, "warm_up_" + tag + "_" + i);
            }
            for (int run = 0; run < runs; run++) {
                long started = System.nanoTime();
                crm.addFieldAndRead(objectName(0), listField(0), "Bench Field " + tag + " " + run);
                ourAdds[run] = (System.nanoTime() - started) / 1e6;
                started = System.nanoTime();
                addColumnAndRead(statement, 0, "bench_field_" + tag + "_" + run);
                sqlAdds[run] = (System.nanoTime() - started) / 1e6;
            }
        }
        ours.samples().put(row, new Samples(ourAdds));
        sql.samples().put(row, new Samples(sqlAdds));
    }

    /**
     * What the read after our addField does by hand: the column added, then the first entry in id order
     * with it (ours answers {@code first: 1} in id order, so both sides sort).
     */
    private static void addColumnAndRead(Statement statement, int object, String column) throws Exception {
        statement.execute("ALTER TABLE " + objectName(object) + " ADD COLUMN " + column + " BIGINT");
        try (ResultSet rows = statement.executeQuery("SELECT id, " + column + " FROM " + objectName(object) + " ORDER BY id LIMIT 1")) {
            rows.next();
        }
    }

    private static String listField(int object) {
        return "benchThings" + object;
    }

    /** Objects of six fields each (text, number, integer, date, enum, tags) and a relation to the one before. */
    private static Path writeSchema(Path folder, int objects) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < objects; i++) {
            StringBuilder yaml = new StringBuilder()
                    .append("object: ").append(objectName(i)).append('\n')
                    .append("singular: Bench Thing ").append(i).append('\n')
                    .append("plural: Bench Things ").append(i).append('\n')
                    .append("fields:\n")
                    .append("  - {name: Name, type: text}\n")
                    .append("  - {name: Amount, type: number}\n")
                    .append("  - {name: Count, type: integer}\n")
                    .append("  - {name: Due On, type: date}\n")
                    .append("  - {name: Mood, type: enum, options: [Calm, Upset]}\n")
                    .append("  - {name: Tags, type: tags}\n");
            if (i > 0) {
                yaml.append("  - {name: Previous, type: relation, related_object: ").append(objectName(i - 1)).append("}\n");
            }
            Files.writeString(folder.resolve(objectName(i) + ".yaml"), yaml);
        }
        return folder;
    }

    private static String createTable(int i) {
        return "CREATE TABLE " + objectName(i) + " (id BIGINT PRIMARY KEY, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,"
                + " name VARCHAR, amount DECIMAL(18, 4), count BIGINT, due_on DATE, mood VARCHAR, tags VARCHAR[]"
                + (i > 0 ? ", previous BIGINT" : "") + ")";
    }

    private static String objectName(int i) {
        return "bench_things_" + i;
    }

    private static Path fresh(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
        return file;
    }
}
