package dev.storefront.crm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * Schema builds at a given number of objects. Ours: the server started on an empty store whose
 * schema folder declares that many generated objects (one schema build at start), then addField on
 * one of them until the next request sees the field. SQL: the same tables created by DDL in a new
 * DuckDB file, then {@code ALTER TABLE ... ADD COLUMN} and a read of the column.
 */
final class SchemaBuilds {

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
        int runs = options.addFieldRuns();
        double[] ourAdds = new double[runs];
        double[] sqlAdds = new double[runs];
        double sqlStart;
        try (ServerProcess server = ServerProcess.start(options.jar(), database, schema, folder.resolve("server.log"),
                options.serverJvmArgs(), options.serverArgs(), Duration.ofHours(1));
             CrmStore crm = new CrmStore(server)) {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + handDatabase);
                 Statement statement = connection.createStatement()) {
                long started = System.nanoTime();
                for (int i = 0; i < objects; i++) {
                    statement.execute(createTable(i));
                }
                sqlStart = (System.nanoTime() - started) / 1e6;
                for (int run = 0; run < runs; run++) {
                    started = System.nanoTime();
                    crm.addFieldAndRead(objectName(0), "benchThings0", "Bench Field " + run);
                    ourAdds[run] = (System.nanoTime() - started) / 1e6;
                    started = System.nanoTime();
                    statement.execute("ALTER TABLE " + objectName(0) + " ADD COLUMN bench_field_" + run + " BIGINT");
                    try (ResultSet rows = statement.executeQuery("SELECT id, bench_field_" + run + " FROM " + objectName(0)
                            + " LIMIT 1")) {
                        rows.next();
                    }
                    sqlAdds[run] = (System.nanoTime() - started) / 1e6;
                }
            }
            ours.samples().put(Report.schemaStart(objects), Samples.of(server.startMillis()));
        }
        sql.samples().put(Report.schemaStart(objects), Samples.of(sqlStart));
        ours.samples().put(Report.schemaAddField(objects), new Samples(ourAdds));
        sql.samples().put(Report.schemaAddField(objects), new Samples(sqlAdds));
        sql.notes().put(Report.schemaStart(objects), String.format(Locale.ROOT, "SQL side: %d CREATE TABLE", objects));
        BenchMain.log(String.format(Locale.ROOT, "schema builds at %d objects: start %.0f ms, addField median %.0f ms (SQL %.1f ms)",
                objects, ours.samples().get(Report.schemaStart(objects)).median(), new Samples(ourAdds).median(),
                new Samples(sqlAdds).median()));
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
