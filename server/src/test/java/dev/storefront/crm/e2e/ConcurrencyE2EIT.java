package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;

/**
 * 16 clients writing the same campaign at once: no update is lost silently. (Campaigns, because a
 * customer's numbers are computed from its orders and cannot be written.)
 */
class ConcurrencyE2EIT extends E2ESupport {

    private static final int CLIENTS = 16;
    private static final int EACH = 10;

    private String campaign(String name) {
        return run("mutation($n: String!) { createCampaign(input: { campaignName: $n, customersTargeted: 0, revenueGenerated: 0 }) { id } }",
                Map.of("n", name)).path("createCampaign.id").entity(String.class).get();
    }

    private void inParallel(Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            done.add(pool.submit(work));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
    }

    @Test
    void atomicIncrementsAllCount() throws Exception {
        String id = campaign(unique("Counter Cleo"));
        inParallel(() -> {
            for (int i = 0; i < EACH; i++) {
                run("mutation($id: ID!) { incrementCampaign(id: $id, by: { customersTargeted: 1, revenueGenerated: 2.5 }) { id } }", Map.of("id", id))
                        .errors().verify();
            }
        });
        run("query($id: ID!) { campaign(id: $id) { customersTargeted revenueGenerated } }", Map.of("id", id))
                .path("campaign.customersTargeted").entity(Integer.class).isEqualTo(CLIENTS * EACH)
                .path("campaign.revenueGenerated").entity(String.class).isEqualTo("400.00");
    }

    @Test
    void readModifyWriteWithIfVersionLosesNothing() throws Exception {
        String id = campaign(unique("Versioned Vera"));
        AtomicInteger conflicts = new AtomicInteger();
        inParallel(() -> {
            for (int done = 0; done < EACH; ) {
                Map<String, Object> read = run("query($id: ID!) { campaign(id: $id) { customersTargeted updatedAt } }", Map.of("id", id))
                        .path("campaign").entity(Map.class).get();
                long next = ((Number) read.get("customersTargeted")).longValue() + 1;
                var response = run("mutation($id: ID!, $n: Long, $v: DateTime) { updateCampaign(id: $id, input: { customersTargeted: $n }, ifVersion: $v) { id } }",
                        Map.of("id", id, "n", next, "v", read.get("updatedAt")));
                List<ResponseError> errors = new ArrayList<>();
                response.errors().satisfy(errors::addAll);
                if (errors.isEmpty()) {
                    done++;
                } else {
                    assertThat(errors.get(0).getExtensions()).containsEntry("code", "CONFLICT");
                    conflicts.incrementAndGet();
                }
            }
        });
        run("query($id: ID!) { campaign(id: $id) { customersTargeted } }", Map.of("id", id))
                .path("campaign.customersTargeted").entity(Integer.class).isEqualTo(CLIENTS * EACH);
        assertThat(conflicts.get()).as("concurrent writers must have met stale versions").isPositive();
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        String id = campaign(unique("Stale Stan"));
        String version = run("query($id: ID!) { campaign(id: $id) { updatedAt } }", Map.of("id", id)).path("campaign.updatedAt")
                .entity(String.class).get();
        run("mutation($id: ID!) { updateCampaign(id: $id, input: { campaignName: \"Stan Two\" }) { id } }", Map.of("id", id));
        ResponseError error = error("mutation($id: ID!, $v: DateTime) { updateCampaign(id: $id, input: { campaignName: \"Stan Three\" }, ifVersion: $v) { id } }",
                Map.of("id", id, "v", version));
        assertThat(error.getExtensions()).containsEntry("code", "CONFLICT").containsEntry("object", "campaigns");
        assertThat(error.getMessage()).startsWith("campaigns ").contains(" was changed since the version you read (" + version);
        run("query($id: ID!) { campaign(id: $id) { campaignName } }", Map.of("id", id)).path("campaign.campaignName").entity(String.class).isEqualTo("Stan Two");
    }
}
