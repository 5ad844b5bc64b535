package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2EClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;

/**
 * The real WooCommerce jar loaded through PF4J beside plugins that break on purpose: the server
 * starts, reports each broken plugin, and the others keep working; stopping a plugin removes its
 * GraphQL fields at once and starting it restores them, without a restart.
 */
class PluginLifecycleE2EIT extends PluginE2ESupport {

    @Test
    @SuppressWarnings("unchecked")
    void pluginsQueryShowsWhatEachPluginContributes() {
        Map<String, Object> woo = plugin("woocommerce");
        assertThat(woo).containsEntry("state", "STARTED").containsEntry("version", "0.1.0-SNAPSHOT").containsEntry("enabled", true);
        assertThat((String) woo.get("description")).contains("WooCommerce");
        Map<String, Object> contributes = (Map<String, Object>) woo.get("contributes");
        assertThat((List<String>) contributes.get("queryFields")).containsExactly("wooCommerceSyncStatus");
        assertThat((List<String>) contributes.get("mutationFields")).containsExactly("wooCommerceCheckConnection");
        assertThat((List<String>) contributes.get("importers")).containsExactlyInAnyOrder("woocommerce:customers-csv", "woocommerce:orders-csv",
                "woocommerce:orders-import-csv", "woocommerce:orders-legacy-per-item-csv", "woocommerce:orders-per-item-csv",
                "woocommerce:products-csv");
        assertThat((List<String>) contributes.get("jobs")).containsExactly("rest-sync");
        assertThat((List<String>) contributes.get("endpoints")).containsExactly("/plugins/woocommerce/webhooks/orders");
        assertThat((List<String>) contributes.get("objects")).anySatisfy(o -> assertThat(o).startsWith("customers(woocommerce_id"));
        // The schema contribution is applied: the field exists on the core object.
        run("{ object(apiName: \"customers\") { fields { apiName } } }").path("object.fields[*].apiName")
                .entityList(String.class).contains("woocommerce_id", "billing_city", "registered_at");
    }

    @Test
    void brokenPluginsAreReportedAndIsolated() {
        Map<String, Object> crash = plugin("crash-on-start");
        assertThat(crash).containsEntry("state", "FAILED");
        assertThat((String) crash.get("error")).contains("boom at start");

        Map<String, Object> badSdl = plugin("bad-sdl");
        assertThat(badSdl).containsEntry("state", "FAILED");
        assertThat((String) badSdl.get("error")).contains("NoSuchType");

        Map<String, Object> garbage = plugin("garbage.jar");
        assertThat(garbage).containsEntry("state", "LOAD_FAILED");
        assertThat((String) garbage.get("error")).isNotBlank();

        // Everything else works: core API, the other plugins' fields.
        run("{ customers(first: 1) { totalCount } }").path("customers.totalCount").hasValue();
        run("{ flakyEcho(text: \"héllo\") { text length } }").path("flakyEcho.length").entity(Integer.class).isEqualTo(5);
        run("{ wooCommerceSyncStatus { configured } }").path("wooCommerceSyncStatus.configured").entity(Boolean.class).isEqualTo(true);

        // Starting it again fails again, cleanly.
        run("mutation { startPlugin(id: \"crash-on-start\") { state error } }").path("startPlugin.state").entity(String.class).isEqualTo("FAILED");
    }

    @Test
    void aThrowingResolverFailsOnlyItsOwnField() {
        ResponseError error = error("{ flakyBoom }");
        assertThat(error.getExtensions()).containsEntry("code", "INTERNAL");
        assertThat(error.getMessage()).startsWith("Internal error, incident").doesNotContain("NullPointerException");
        run("{ flakyEcho(text: \"ok\") { text } }").path("flakyEcho.text").entity(String.class).isEqualTo("ok");
    }

    @Test
    void stoppingAPluginRemovesItsFieldsAndStartingRestoresThem() {
        String query = "{ flakyEcho(text: \"abc\") { length } }";
        run(query).path("flakyEcho.length").entity(Integer.class).isEqualTo(3);

        run("mutation { stopPlugin(id: \"flaky\") { state } }").path("stopPlugin.state").entity(String.class).isEqualTo("STOPPED");
        ResponseError gone = error(query);
        assertThat(gone.getMessage()).contains("flakyEcho");
        run("{ __type(name: \"FlakyEcho\") { name } }").path("__type").valueIsNull();
        run("{ pluginJobs { plugin name } }").path("pluginJobs[*].plugin").entityList(String.class).doesNotContain("flaky");

        run("mutation { startPlugin(id: \"flaky\") { state } }").path("startPlugin.state").entity(String.class).isEqualTo("STARTED");
        run(query).path("flakyEcho.length").entity(Integer.class).isEqualTo(3);
    }

    @Test
    void disableAndEnable() {
        run("mutation { disablePlugin(id: \"flaky\") { state enabled } }").path("disablePlugin.enabled").entity(Boolean.class).isEqualTo(false);
        assertThat(error("{ flakyEcho(text: \"x\") { length } }").getMessage()).contains("flakyEcho");
        assertThat(error("mutation { startPlugin(id: \"flaky\") { state } }").getExtensions()).containsEntry("code", "CONFLICT");
        run("mutation { enablePlugin(id: \"flaky\") { state enabled } }").path("enablePlugin.state").entity(String.class).isEqualTo("STARTED");
        run("{ flakyEcho(text: \"x\") { length } }").path("flakyEcho.length").entity(Integer.class).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jobsRunOnTheirCronScheduleFromConfiguration() {
        long deadline = System.currentTimeMillis() + 15_000;
        List<Map<String, Object>> ticks;
        do {
            sleep(200);
            ticks = run("{ jobs(limit: 200) { name plugin state args message } }").path("jobs").entityList(Map.class).get().stream()
                    .map(m -> (Map<String, Object>) m).filter(j -> "tick".equals(j.get("name")) && "SUCCEEDED".equals(j.get("state"))).toList();
        } while (ticks.isEmpty() && System.currentTimeMillis() < deadline);
        assertThat(ticks).isNotEmpty();
        assertThat(ticks.get(0)).containsEntry("plugin", "flaky").containsEntry("args", "{\"trigger\":\"cron\"}")
                .containsEntry("message", "tick from flaky");
    }

    @Test
    void entryEventsReachPluginsAfterCommitWithOldAndNewValues() {
        String id = run("mutation { createCustomer(input: { email: \"events@example.com\", fullName: \"Eve\" }) { id } }")
                .path("createCustomer.id").entity(String.class).get();
        run("mutation { updateCustomer(id: \"" + id + "\", input: { fullName: \"Eva\" }) { id } }");
        run("mutation { deleteCustomer(id: \"" + id + "\") { id } }");
        // A refused write sends nothing.
        error("mutation { createCustomer(input: { email: \"not-an-email\" }) { id } }");
        // Plugins see the entry number; clients the global id.
        long number = E2EClient.idNumber(id);
        List<String> expected = List.of("CREATED " + number + " null -> Eve", "UPDATED " + number + " Eve -> Eva",
                "DELETED " + number + " Eva -> null");
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> events;
        do {
            sleep(50);
            events = run("{ flakyEvents }").path("flakyEvents").entityList(String.class).get();
        } while (!events.containsAll(expected) && System.currentTimeMillis() < deadline);
        assertThat(events.stream().filter(e -> e.contains(" " + number + " ")).toList()).containsExactlyElementsOf(expected);
        // The listener threw on DELETED; the server and the plugin carry on.
        assertThat(plugin("flaky")).containsEntry("state", "STARTED");
    }

    @Test
    void aListenerThatCannotRecordAChangeInItsTransactionRefusesTheChangeWhole() {
        String refused = "The flaky plugin could not record this change to customers (no room for this one, on purpose); nothing was written";
        assertThat(error("mutation { createCustomer(input: { email: \"unrecordable@example.com\", fullName: \"Unrecordable\" }) { id } }")
                .getMessage()).isEqualTo(refused);
        assertThat(run("{ customers(where: { email: { eq: \"unrecordable@example.com\" } }) { totalCount } }")
                .path("customers.totalCount").entity(Integer.class).get()).isEqualTo(0);
        String id = run("mutation { createCustomer(input: { email: \"recordable@example.com\", fullName: \"Rae\" }) { id } }")
                .path("createCustomer.id").entity(String.class).get();
        assertThat(error("mutation { updateCustomer(id: \"" + id + "\", input: { fullName: \"Unrecordable\", lastName: \"Changed\" }) { id } }")
                .getMessage()).isEqualTo(refused);
        assertThat(run("{ customer(id: \"" + id + "\") { fullName lastName } }").path("customer").entity(Map.class).get())
                .containsEntry("fullName", "Rae").containsEntry("lastName", null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void pluginJobsReportProgressAndCanBeCancelled() {
        String id = run("mutation { runJob(plugin: \"flaky\", job: \"slow\") { id state } }").path("runJob.id").entity(String.class).get();
        long deadline = System.currentTimeMillis() + 10_000;
        Map<?, ?> job;
        do {
            sleep(50);
            job = run("query($id: ID!) { job(id: $id) { state processed total } }", Map.of("id", id)).path("job").entity(Map.class).get();
        } while (((Integer) job.get("processed")) < 3 && System.currentTimeMillis() < deadline);
        assertThat(job.get("state")).isEqualTo("RUNNING");
        assertThat(job.get("total")).isEqualTo(1000);

        run("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", id)).path("cancelJob.id").entity(String.class).isEqualTo(id);
        Map<String, Object> done = awaitJob(id);
        assertThat(done.get("state")).isEqualTo("CANCELLED");
        assertThat((Integer) done.get("processed")).isLessThan(1000);
        assertThat(done.get("finishedAt")).isNotNull();

        String failing = run("mutation { runJob(plugin: \"flaky\", job: \"fails\") { id } }").path("runJob.id").entity(String.class).get();
        Map<String, Object> failed = awaitJob(failing);
        assertThat(failed).containsEntry("state", "FAILED").containsEntry("message", "the job broke on purpose").containsEntry("processed", 3);
        run("{ jobs(limit: 100) { id } }").path("jobs[*].id").entityList(String.class).contains(id, failing);

        // Each job mutation's row names its job, committed with the job's queued row, or after its cancel.
        List<Map<String, Object>> rows = run("{ auditLog(first: 100) { keyName action entryId } }").path("auditLog").entityList(Map.class).get()
                .stream().map(row -> (Map<String, Object>) row).filter(row -> id.equals(row.get("entryId")) || failing.equals(row.get("entryId")))
                .toList();
        assertThat(rows).containsExactly(Map.of("keyName", "crm.security.admin-key", "action", "runJob", "entryId", failing),
                Map.of("keyName", "crm.security.admin-key", "action", "cancelJob", "entryId", id),
                Map.of("keyName", "crm.security.admin-key", "action", "runJob", "entryId", id));
    }
}
