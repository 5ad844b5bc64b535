package dev.storefront.crm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The bulk generator commits table by table, so a start stopped half-way can leave orders without
 * customers: a later start does not generate over them (their ids would collide with the script's).
 */
@SpringBootTest(properties = {"crm.demo=false", "crm.schema-dir=../schema"})
class BulkStoreLeftoversIT {

    @TempDir
    static Path folder;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", () -> folder.resolve("leftovers.duckdb").toString());
    }

    @Autowired
    DuckDb db;
    @Autowired
    EntryService entries;
    @Autowired
    SchemaService schema;
    @Autowired
    SchemaStore tables;

    @Test
    void aStoreWithOrdersButNoCustomersIsLeftAsItIs() {
        MetadataSnapshot model = schema.current();
        entries.create(model.object("orders"), Map.of("order_number", "LEFT-1"));
        DemoStore demo = new DemoStore(db, entries, schema, tables, Clock.systemUTC(), new CrmProperties.Demo(DemoStore.BULK_FROM, 42, 0));

        demo.fillIfEmpty();

        assertThat(entries.count(model.object("customers"))).isZero();
        assertThat(entries.count(model.object("orders"))).isEqualTo(1);
        assertThat(entries.count(model.object("products"))).isZero();
    }
}
