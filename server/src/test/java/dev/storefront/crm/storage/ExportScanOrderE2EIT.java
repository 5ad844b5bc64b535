package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An export in id order skips its sort only when the table's scan already yields ids ascending: a
 * table whose rows were stored out of id order is still exported in id order.
 */
class ExportScanOrderE2EIT extends E2ESupport {

    @Autowired
    private DuckDb db;

    private List<String> exportedNames(String object) throws Exception {
        String csv = HttpClient.newHttpClient().send(authorized(URI.create(baseUrl() + "/export/" + object + ".csv?fields=name")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        return Arrays.stream(csv.split("\r\n")).skip(1).toList();
    }

    private List<Long> scannedIds(String object) {
        return db.read(tx -> tx.query(new SqlBuilder().sql("SELECT ").ident("id").sql(" FROM ").ident(object).build(), row -> row.getLong(1)));
    }

    @Test
    void rowsStoredOutOfIdOrderAreExportedInIdOrder() throws Exception {
        String object = unique("parcels");
        createObject(object, List.of(field("Name", "TEXT")));
        String type = ApiNames.pascal(object);
        List<String> ids = run("mutation { create" + type + "(inputs: [{ name: \"one\" }, { name: \"two\" }, { name: \"three\" }]) { id } }")
                .path("create" + type + "[*].id").entityList(String.class).get();
        assertThat(exportedNames(object)).containsExactly("one", "two", "three");

        // Entry 2 deleted, then stored again by hand: the table now holds it after entry 3.
        run("mutation { delete" + ApiNames.pascal(object + "_item") + "(id: \"" + ids.get(1) + "\") { id } }");
        db.write(tx -> tx.update(new SqlBuilder().sql("INSERT INTO ").ident(object).sql(" (").ident("id").sql(", ").ident("name")
                .sql(", ").ident("created_at").sql(", ").ident("updated_at").sql(") VALUES (2, 'two again', now(), now())").build()));
        assertThat(scannedIds(object)).containsExactly(1L, 3L, 2L);

        assertThat(exportedNames(object)).containsExactly("one", "two again", "three");
    }
}
