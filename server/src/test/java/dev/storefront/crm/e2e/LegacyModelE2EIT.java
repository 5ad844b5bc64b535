package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.graphql.CrmGraphQlSource;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import dev.storefront.crm.schema.SchemaChangeApplier;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.schema.SchemaYamlLoader;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.SchemaStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A database written by an older version, whose model cannot produce a schema: object
 * {@code order_statuses} would be type {@code OrderStatus}, the enum of {@code orders.status}, and
 * {@code status_notes} points at it. The server starts anyway, leaves those two out and reports
 * them; everything else works, and unrelated changes are still accepted.
 */
@DirtiesContext
class LegacyModelE2EIT extends E2EClient {

    private static final Path DATABASE = legacyDatabase();

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
    }

    @Autowired
    CrmGraphQlSource source;
    @Autowired
    SchemaService schema;

    /** The shipped model, then the two objects, written the way the old version did: no schema built before commit. */
    private static Path legacyDatabase() {
        Path file = newDatabaseFile();
        try (DuckDb db = new DuckDb(file)) {
            SchemaStore store = new SchemaStore();
            SchemaService unchecked = new SchemaService(db, store, new SchemaChangeApplier(store, new EntryStore()));
            new SchemaYamlLoader(unchecked).apply(Path.of("../schema"));
            unchecked.apply(new SchemaChange.CreateObject("order_statuses", "Order Status", "Order Statuses", null,
                    List.of(text("Name"))));
            unchecked.apply(new SchemaChange.CreateObject("status_notes", "Status Note", "Status Notes", null,
                    List.of(text("Body"), new FieldSpec("Status", null, FieldKind.RELATION, false, false, null, null,
                            "order_statuses", null))));
        }
        return file;
    }

    private static FieldSpec text(String label) {
        return new FieldSpec(label, null, FieldKind.TEXT, false, false, null, null, null, null);
    }

    @Test
    void theServerStartsWithTheOffendingObjectsLeftOutAndReported() {
        assertThat(source.leftOut()).isEqualTo(Map.of(
                "order_statuses", "the API would use the name 'OrderStatus' for both the options of field orders.status"
                        + " and object order_statuses",
                "status_notes", "field status_notes.status points at order_statuses, which is left out"));
        assertThat(schema.current().find("order_statuses")).isPresent();
        assertThat(ok("{ __type(name: \"OrderStatus\") { kind } }")).isEqualTo(Map.of("__type", Map.of("kind", "ENUM")));
        assertThat(ok("{ orders(first: 1) { totalCount } plugins { id } }")).isEqualTo(Map.of(
                "orders", Map.of("totalCount", 0), "plugins", List.of()));
        assertThat(error("{ statusNotes { totalCount } }").getMessage()).contains("statusNotes");
    }

    @Test
    void unrelatedChangesAreStillAccepted() {
        String object = unique("labels");
        createObject(object, List.of(field("Name", "TEXT")));
        ok("mutation { create" + dev.storefront.crm.metadata.ApiNames.pascal(object + "_item") + "(input: { name: \"x\" }) { id } }");
        assertThat(source.leftOut()).containsOnlyKeys("order_statuses", "status_notes");
    }
}
