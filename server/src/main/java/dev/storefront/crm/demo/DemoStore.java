package dev.storefront.crm.demo;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty database with a generated demo store (see {@link DemoDataGenerator}) so every
 * segment, view and dashboard has something to show on the first start.
 */
public class DemoStore {

    private static final Logger log = LoggerFactory.getLogger(DemoStore.class);
    /** From this many customers the store is generated inside DuckDB ({@link BulkStoreWriter}), not in memory. */
    static final int BULK_FROM = 20_000;

    private final DuckDb db;
    private final EntryService entries;
    private final SchemaService schema;
    private final SchemaStore tables;
    private final Clock clock;
    private final CrmProperties.Demo settings;

    DemoStore(DuckDb db, EntryService entries, SchemaService schema, SchemaStore tables, Clock clock, CrmProperties.Demo settings) {
        this.db = db;
        this.entries = entries;
        this.schema = schema;
        this.tables = tables;
        this.clock = clock;
        this.settings = settings;
    }

    /** Does nothing once any customer exists, so a restart never doubles the store or mixes it with real data. */
    public void fillIfEmpty() {
        MetadataSnapshot model = schema.current();
        long existing = entries.count(model.object("customers"));
        if (existing > 0) {
            log.info("Demo store not generated: the database already has {} customers", existing);
            return;
        }
        if (settings.customers() >= BULK_FROM) {
            fillInBulk(model);
            return;
        }
        long started = System.nanoTime();
        DemoData data = new DemoDataGenerator(settings.seed(), settings.customers(),
                Math.toIntExact(settings.ordersWanted()), LocalDate.now(clock)).generate();
        long generated = System.nanoTime();
        // One transaction: a start interrupted half-way leaves no partial store behind to block the next one.
        Map<String, Integer> written = db.write(tx -> new DemoWriter(entries, model).write(data));
        long finished = System.nanoTime();
        log.info("Demo store (seed {}) generated in {} ms and written in {} ms: {}", settings.seed(),
                (generated - started) / 1_000_000, (finished - generated) / 1_000_000, written);
    }

    private void fillInBulk(MetadataSnapshot model) {
        Map<String, Long> before = db.read(BulkStoreWriter::rows);
        long left = before.values().stream().mapToLong(Long::longValue).sum() - before.get("companies") - before.get("products");
        if (left > 0) {
            log.warn("Demo store not generated: the database has no customers but {} other rows ({}), which a generation stopped"
                    + " half-way leaves; start on a new database file", left, before);
            return;
        }
        long started = System.nanoTime();
        BulkStoreWriter writer = new BulkStoreWriter(settings.seed(), settings.customers(), settings.ordersWanted(),
                LocalDate.now(clock), OffsetDateTime.now(clock));
        // Written in steps, each committed: at 100 million orders one transaction holding the new rows, the
        // engine's recompute of every customer or the tables' index entries outgrew DuckDB's memory at its
        // commit. A start stopped after the rows keeps them (with the script's own customer totals, which
        // follow the same definitions); one stopped before the customers leaves rows no start fills again.
        int companies = db.write(tx -> {
            model.objects().forEach(object -> tables.dropIndexes(tx, object.apiName()));
            return writer.writeCatalogue(entries, model);
        });
        writer.writeRows(db, companies);
        Map<String, Long> written = db.read(BulkStoreWriter::rows);
        long recomputing = System.nanoTime();
        db.write(tx -> {
            writer.recompute(tx, entries, model);
            return null;
        });
        long indexing = System.nanoTime();
        // One table at a time: an index is built from stored rows, which DuckDB can page out.
        model.objects().forEach(object -> db.write(tx -> {
            tables.syncIndexes(tx, List.of(object));
            return null;
        }));
        log.info("Demo store (seed {}) generated in bulk in {} ms, its computed fields in {} ms, indexed in {} ms: {}",
                settings.seed(), (recomputing - started) / 1_000_000, (indexing - recomputing) / 1_000_000,
                (System.nanoTime() - indexing) / 1_000_000, written);
    }
}
