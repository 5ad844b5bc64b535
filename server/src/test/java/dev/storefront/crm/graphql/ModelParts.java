package dev.storefront.crm.graphql;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.ComputedFields;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.graphql.fetchers.Cursors;
import dev.storefront.crm.graphql.types.SchemaGenerator;
import dev.storefront.crm.schema.SchemaChangeApplier;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.AggregateStore;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.ReadOnlySql;
import dev.storefront.crm.storage.RollupStore;
import dev.storefront.crm.storage.SchemaStore;
import dev.storefront.crm.storage.SettingsTable;
import dev.storefront.crm.storage.ViewStore;
import dev.storefront.crm.views.ViewService;
import graphql.ExecutionResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The model, the storage and the GraphQL schema over one DuckDB file, wired as the server wires
 * them but without Spring or HTTP, so a test can open and close ("restart") them hundreds of times.
 */
final class ModelParts implements AutoCloseable {

    final DuckDb db;
    final SchemaService schema;
    final EntryService entries;
    final SchemaGenerator generator;
    final CrmGraphQlSource graphQl;

    ModelParts(Path file) {
        db = new DuckDb(file);
        SchemaStore schemaStore = new SchemaStore();
        EntryStore entryStore = new EntryStore();
        schema = new SchemaService(db, schemaStore, new SchemaChangeApplier(schemaStore, entryStore));
        entries = new EntryService(db, entryStore, new AggregateStore(), Clock.systemUTC(), schema::current,
                new ComputedFields(new RollupStore(), entryStore, "UTC"));
        ViewService views = new ViewService(db, new ViewStore(), schema, entries);
        CrmProperties.Sql sql = new CrmProperties.Sql(Duration.ofSeconds(5), 100, 100_000, 10_000_000);
        CrmProperties properties = new CrmProperties(file.toString(), "../schema", false, new CrmProperties.Demo(0, 1, 0),
                new CrmProperties.Graphql(50, 1000, 1000, 100, 15, 500, 1_000_000, Duration.ofSeconds(30)), sql,
                null, null, null, new CrmProperties.Cors(List.of()), new CrmProperties.Security(Map.of()), "UTC");
        generator = GraphQlConfiguration.generator(entries, schema, views, new ReadOnlySql(db),
                new ReadOnlySql.Limits(sql.timeout(), sql.maxRows(), sql.maxRowChars(), sql.maxResultChars()), properties,
                new Cursors(new SettingsTable(db).secret("cursor-key", Cursors.KEY_BYTES)));
        graphQl = new CrmGraphQlSource(generator, schema, List.of(), List.of(), 100);
        graphQl.open();
    }

    ExecutionResult execute(String document) {
        return graphQl.graphQl().execute(document);
    }

    @Override
    public void close() {
        db.close();
    }
}
