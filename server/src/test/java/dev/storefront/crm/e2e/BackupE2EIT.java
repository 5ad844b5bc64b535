package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.CrmApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A backup taken while the server runs is a database a second server starts from, with the data as it was. */
class BackupE2EIT extends E2ESupport {

    @Test
    void aBackupRestoresIntoANewServer() throws Exception {
        String email = unique("backup") + "@example.com";
        String id = run("mutation($e: String) { createCustomer(input: { fullName: \"Backup Bea\", email: $e, notes: \"VIP since 2019\", "
                + "tags: [\"kept\"] }) { id } }", Map.of("e", email)).path("createCustomer.id").entity(String.class).get();
        Map<String, Object> backup = run("mutation { backup { file bytes at } }").path("backup").entity(Map.class).get();
        Path file = Path.of((String) backup.get("file"));
        assertThat(file.getFileName().toString()).matches("crm-\\d{8}-\\d{6}-\\d{3}\\.duckdb");
        assertThat(((Number) backup.get("bytes")).longValue()).isEqualTo(Files.size(file));
        // The backup's audit row names its file; it commits after the copy, so the copy does not hold it.
        assertThat(backupRows(graphQl, file)).containsExactly(Map.of("keyName", "crm.security.admin-key", "action", "backup"));
        // Changed after the backup: the restored server must show the value from before.
        run("mutation($id: ID!) { updateCustomer(id: $id, input: { fullName: \"Changed Later\" }) { id } }", Map.of("id", id));

        Path restored = TestFolders.create("crm-restore").resolve("crm.duckdb");
        Files.copy(file, restored);
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(CrmApplication.class).run("--server.port=0",
                "--crm.database=" + restored, "--crm.schema-dir=../schema", "--crm.security.admin-key=" + ADMIN_KEY)) {
            HttpGraphQlTester tester = HttpGraphQlTester.create(WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + second.getEnvironment().getProperty("local.server.port") + "/graphql")
                    .defaultHeader("Authorization", "Bearer " + ADMIN_KEY).build());
            tester.document("query($id: ID!) { customer(id: $id) { fullName email notes tags } }").variable("id", id).execute()
                    .path("customer.fullName").entity(String.class).isEqualTo("Backup Bea")
                    .path("customer.email").entity(String.class).isEqualTo(email)
                    .path("customer.notes").entity(String.class).isEqualTo("VIP since 2019")
                    .path("customer.tags").entityList(String.class).containsExactly("kept");
            assertThat(backupRows(tester, file)).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> backupRows(GraphQlTester tester, Path file) {
        return tester.document("{ auditLog(first: 1000) { keyName action entryId } }").execute().path("auditLog").entityList(Map.class).get()
                .stream().map(row -> (Map<String, Object>) row).filter(row -> file.toString().equals(row.get("entryId")))
                .map(row -> Map.of("keyName", row.get("keyName"), "action", row.get("action"))).toList();
    }
}
