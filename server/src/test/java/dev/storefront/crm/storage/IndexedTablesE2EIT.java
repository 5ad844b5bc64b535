package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.CrmApplication;
import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Object tables carry ART indexes on {@code id} and on every relation column (issue 16), and every
 * model change DuckDB refuses on an indexed table (rename, retype, delete a field) still works, with
 * the indexes rebuilt for the model after the change. On its own database.
 */
class IndexedTablesE2EIT extends E2EClient {

    private static final Path DATABASE = newDatabaseFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private DuckDb db;
    @Autowired
    private EntryService entries;
    @Autowired
    private SchemaService schema;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theShippedModelHasAnIndexOnIdAndOnEveryRelationColumn() {
        List<Map<String, Object>> objects = (List<Map<String, Object>>) ok("{ objects { apiName fields { apiName type } } }").get("objects");
        TreeSet<String> expected = new TreeSet<>();
        for (Map<String, Object> object : objects) {
            expected.add(object.get("apiName") + "(id)");
            for (Map<String, Object> field : (List<Map<String, Object>>) object.get("fields")) {
                if ("RELATION".equals(field.get("type"))) {
                    expected.add(object.get("apiName") + "(" + field.get("apiName") + "_id)");
                }
            }
        }
        assertThat(expected).contains("customers(id)", "orders(customer_id)", "order_items(order_id)");
        assertThat(indexes(objects.stream().map(o -> (String) o.get("apiName")).toList())).containsExactlyElementsOf(expected);
    }

    @Test
    @SuppressWarnings("unchecked")
    void renameRetypeAndDeleteWorkOnIndexedTablesAndTheIndexesFollowTheModel() {
        createObject("shelves", List.of(field("Name", "TEXT")));
        createObject("boxes", List.of(field("Label", "TEXT"), field("Code", "TEXT"), field("Note", "TEXT"),
                field("Shelf", "RELATION", "relatedObject", "shelves")));
        assertThat(indexes(List.of("shelves", "boxes"))).containsExactly("boxes(id)", "boxes(shelf_id)", "shelves(id)");
        String top = (String) at(ok("mutation { createShelvesItem(input: { name: \"top\" }) { id } }"), "createShelvesItem").get("id");
        String low = (String) at(ok("mutation { createShelvesItem(input: { name: \"low\" }) { id } }"), "createShelvesItem").get("id");
        List<Map<String, Object>> created = (List<Map<String, Object>>) ok("mutation { createBoxes(inputs: [{ label: \"a\", code: \"12\","
                + " note: \"x\", shelfId: \"" + top + "\" }, { label: \"b\", code: \"7\", note: \"y\", shelfId: \"" + low + "\" },"
                + " { label: \"c\", code: \"30\" }]) { id } }").get("createBoxes");
        List<Object> boxIds = created.stream().map(box -> box.get("id")).toList();

        ok("mutation { updateField(object: \"boxes\", field: \"shelf\", input: { apiName: \"rack\" }) { apiName } }");
        assertThat(indexes(List.of("boxes"))).containsExactly("boxes(id)", "boxes(rack_id)");
        ok("mutation { updateField(object: \"boxes\", field: \"label\", input: { apiName: \"title\" }) { apiName } }");
        ok("mutation { updateField(object: \"boxes\", field: \"code\", input: { type: INTEGER }) { type } }");
        ok("mutation { deleteField(object: \"boxes\", field: \"note\", confirm: true) { apiName } }");
        assertThat(indexes(List.of("boxes"))).containsExactly("boxes(id)", "boxes(rack_id)");
        assertThat(nodeLines("{ boxes(first: 10, orderBy: [{ field: ID }]) { nodes { title code rack { name } } } }"))
                .containsExactly("a 12 {name=top}", "b 7 {name=low}", "c 30 null");
        // The indexed columns answer lookups after the rebuild: by id, and the reverse list by relation.
        assertThat(at(ok("{ shelvesItem(id: \"" + top + "\") { name boxes { nodes { title } } } }"), "shelvesItem"))
                .isEqualTo(Map.of("name", "top", "boxes", Map.of("nodes", List.of(Map.of("title", "a")))));

        ok("mutation { addField(object: \"boxes\", input: { label: \"Spare\", type: RELATION, relatedObject: \"shelves\" }) { apiName } }");
        assertThat(indexes(List.of("boxes"))).containsExactly("boxes(id)", "boxes(rack_id)", "boxes(spare_id)");
        // A plain field appended keeps the table's indexes (its change reads no index list).
        ok("mutation { addField(object: \"boxes\", input: { label: \"Weight\", type: INTEGER }) { apiName } }");
        assertThat(indexes(List.of("boxes"))).containsExactly("boxes(id)", "boxes(rack_id)", "boxes(spare_id)");
        // The rack column is followed by an indexed one (spare_id), which makes DuckDB refuse the drop: the table is copied instead.
        ok("mutation { deleteField(object: \"boxes\", field: \"rack\", confirm: true) { apiName } }");
        assertThat(indexes(List.of("boxes"))).containsExactly("boxes(id)", "boxes(spare_id)");
        ok("mutation { deleteField(object: \"boxes\", field: \"spare\", confirm: true) { apiName } }");
        assertThat(indexes(List.of("boxes"))).containsExactly("boxes(id)");
        assertThat(nodeLines("{ boxes(first: 10, orderBy: [{ field: ID }]) { nodes { id title code } } }"))
                .containsExactly(boxIds.get(0) + " a 12", boxIds.get(1) + " b 7", boxIds.get(2) + " c 30");
        ok("mutation { createBoxesItem(input: { title: \"d\", code: 4 }) { id } }");
        assertThat(nodeLines("{ boxes(first: 10, where: { code: { lt: 10 } }, orderBy: [{ field: CODE }]) { nodes { title code } } }"))
                .containsExactly("d 4", "b 7");

        ok("mutation { deleteObject(apiName: \"boxes\", confirm: true) { apiName } }");
        assertThat(indexes(List.of("boxes", "shelves"))).containsExactly("shelves(id)");
    }

    /** A refused change leaves the indexes the DDL had dropped in its trial: the rollback brings them back. */
    @Test
    void aRefusedChangeKeepsTheIndexes() {
        createObject("crate_shelves", List.of(field("Name", "TEXT")));
        createObject("crates", List.of(field("Code", "TEXT"), field("Shelf", "RELATION", "relatedObject", "crate_shelves")));
        ok("mutation { createCratesItem(input: { code: \"12.5\" }) { id } }");
        assertThat(error("mutation { updateField(object: \"crates\", field: \"code\", input: { type: INTEGER }) { type } }")
                .getExtensions()).containsEntry("code", "CONFLICT");
        assertThat(indexes(List.of("crates"))).containsExactly("crates(id)", "crates(shelf_id)");
    }

    /**
     * A log written with createAbsent (the Shopify webhook log's way) is indexed on its unique fields by
     * its first such write, and stores each value once: repeated within one write, or of an earlier
     * write, or after DDL that dropped the table's indexes (a unique field renamed), which the next write
     * indexes again; a field no longer unique loses its index.
     */
    @Test
    void aLogWrittenAbsentOnlyIsIndexedOnItsUniqueFieldsAndStoresEachValueOnce() {
        createObject("parcels", List.of(field("Tracking", "TEXT", "unique", true), field("Carrier Ref", "TEXT", "unique", true),
                field("Weight", "INTEGER", "unique", true), field("Note", "TEXT")));
        assertThat(indexes(List.of("parcels"))).containsExactly("parcels(id)");
        assertThat(absent("tracking", List.of(parcel("t1", "e1", 1), parcel("t2", null, 2), parcel("t1", "e9", 3), parcel("t3", "e1", 4))))
                .containsExactly(true, true, false, false);
        assertThat(indexes(List.of("parcels"))).containsExactly("parcels(carrier_ref)", "parcels(id)", "parcels(tracking)", "parcels(weight)");
        // A later write: taken by tracking, by carrier ref, by weight, and one new whose carrier ref is null like t2's (a null takes nothing).
        assertThat(absent("tracking", List.of(parcel("t1", "e5", 5), parcel("t4", "e1", 6), parcel("t5", null, 2), parcel("t6", null, 7))))
                .containsExactly(false, false, false, true);

        ok("mutation { updateField(object: \"parcels\", field: \"tracking\", input: { apiName: \"code\" }) { apiName } }");
        assertThat(indexes(List.of("parcels"))).containsExactly("parcels(id)");
        assertThat(absent("code", List.of(parcel("t6", "e6", 8), parcel("t7", "e7", 9), parcel("t8", "e8", 10))))
                .containsExactly(false, true, true);
        assertThat(indexes(List.of("parcels"))).containsExactly("parcels(carrier_ref)", "parcels(code)", "parcels(id)", "parcels(weight)");
        ok("mutation { updateField(object: \"parcels\", field: \"weight\", input: { unique: false }) { apiName } }");
        assertThat(indexes(List.of("parcels"))).containsExactly("parcels(carrier_ref)", "parcels(code)", "parcels(id)");
        assertThat(nodeLines("{ parcels(first: 10, orderBy: [{ field: WEIGHT }]) { nodes { code carrierRef weight } } }"))
                .containsExactly("t1 e1 1", "t2 null 2", "t6 null 7", "t7 e7 9", "t8 e8 10");
    }

    private List<Boolean> absent(String key, List<Map<String, Object>> parcels) {
        return entries.createAbsent(schema.current().object("parcels"), parcels.stream().map(parcel -> {
            Map<String, Object> row = new java.util.HashMap<>(parcel);
            row.put(key, row.remove("tracking"));
            return (Map<String, Object>) row;
        }).toList());
    }

    private static Map<String, Object> parcel(String tracking, String carrierRef, int weight) {
        Map<String, Object> parcel = new java.util.HashMap<>();
        parcel.put("tracking", tracking);
        parcel.put("carrier_ref", carrierRef);
        parcel.put("weight", weight);
        return parcel;
    }

    /** A database made before tables had indexes gains them at start; a restart keeps them and the data. */
    @Test
    void aDatabaseWithoutIndexesGainsThemAtStartAndARestartKeepsThem() throws Exception {
        Path database = newDatabaseFile();
        String customer;
        try (ConfigurableApplicationContext first = start(database)) {
            customer = (String) at(post(first, "mutation { createCustomer(input: { email: \"kept@example.com\" }) { id } }"),
                    "createCustomer").get("id");
            post(first, "mutation { createOrder(input: { orderNumber: \"R-1\", customerId: \"" + customer
                    + "\", totalAmount: \"10.00\", status: DELIVERED }) { id } }");
        }
        try (Connection plain = DriverManager.getConnection("jdbc:duckdb:" + database); Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT index_name FROM duckdb_indexes()")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            assertThat(names).contains("crm_ix_6_orders_customer_id");
            for (String name : names) {
                try (Statement drop = plain.createStatement()) {
                    drop.execute("DROP INDEX \"" + name + "\"");
                }
            }
        }
        for (int start = 0; start < 2; start++) {
            try (ConfigurableApplicationContext next = start(database)) {
                DuckDb restarted = next.getBean(DuckDb.class);
                assertThat(indexes(restarted, List.of("customers", "orders"))).contains("customers(id)", "orders(id)", "orders(customer_id)");
                assertThat(at(post(next, "{ customer(id: \"" + customer + "\") { email orders { nodes { orderNumber } } } }"), "customer"))
                        .isEqualTo(Map.of("email", "kept@example.com", "orders", Map.of("nodes", List.of(Map.of("orderNumber", "R-1")))));
            }
        }
    }

    private List<String> indexes(List<String> tables) {
        return indexes(db, tables);
    }

    /** Each index of the tables as {@code table(column)}, sorted. */
    private static List<String> indexes(DuckDb database, List<String> tables) {
        return database.read(tx -> tx.query(new SqlBuilder().sql("SELECT table_name || '(' || array_to_string(expressions, ',')"
                + " || ')' AS i FROM duckdb_indexes() WHERE list_contains(").bind(new SqlArray("VARCHAR", tables))
                .sql("::VARCHAR[], table_name) ORDER BY i").build(), row -> row.getString(1)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> data, String key) {
        return (Map<String, Object>) data.get(key);
    }

    private static ConfigurableApplicationContext start(Path database) {
        return new SpringApplicationBuilder(CrmApplication.class).run("--server.port=0", "--crm.database=" + database,
                "--crm.schema-dir=../schema", "--crm.security.admin-key=" + ADMIN_KEY);
    }

    /** The data of a POST to a server started by the test, which must answer without errors. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> post(ConfigurableApplicationContext context, String query) throws Exception {
        URI endpoint = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/graphql");
        HttpResponse<String> response = HTTP.send(authorized(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = JSON.readValue(response.body(), Map.class);
        assertThat(json.get("errors")).as("errors of %s", query).isNull();
        return (Map<String, Object>) json.get("data");
    }
}
