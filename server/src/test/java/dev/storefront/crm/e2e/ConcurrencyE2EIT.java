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

/** 16 clients writing the same customer at once: no update is lost silently. */
class ConcurrencyE2EIT extends E2ESupport {

    private static final int CLIENTS = 16;
    private static final int EACH = 10;

    private String customer(String name) {
        return run("mutation($n: String) { createCustomer(input: { fullName: $n, totalOrders: 0, lifetimeValue: 0 }) { id } }",
                Map.of("n", name)).path("createCustomer.id").entity(String.class).get();
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
        String id = customer("Counter Cleo");
        inParallel(() -> {
            for (int i = 0; i < EACH; i++) {
                run("mutation($id: ID!) { incrementCustomer(id: $id, by: { totalOrders: 1, lifetimeValue: 2.5 }) { id } }", Map.of("id", id))
                        .errors().verify();
            }
        });
        run("query($id: ID!) { customer(id: $id) { totalOrders lifetimeValue } }", Map.of("id", id))
                .path("customer.totalOrders").entity(Integer.class).isEqualTo(CLIENTS * EACH)
                .path("customer.lifetimeValue").entity(Double.class).isEqualTo(CLIENTS * EACH * 2.5);
    }

    @Test
    void readModifyWriteWithIfVersionLosesNothing() throws Exception {
        String id = customer("Versioned Vera");
        AtomicInteger conflicts = new AtomicInteger();
        inParallel(() -> {
            for (int done = 0; done < EACH; ) {
                Map<String, Object> read = run("query($id: ID!) { customer(id: $id) { totalOrders updatedAt } }", Map.of("id", id))
                        .path("customer").entity(Map.class).get();
                int next = ((Number) read.get("totalOrders")).intValue() + 1;
                var response = run("mutation($id: ID!, $n: Int, $v: DateTime) { updateCustomer(id: $id, input: { totalOrders: $n }, ifVersion: $v) { id } }",
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
        run("query($id: ID!) { customer(id: $id) { totalOrders } }", Map.of("id", id))
                .path("customer.totalOrders").entity(Integer.class).isEqualTo(CLIENTS * EACH);
        assertThat(conflicts.get()).as("concurrent writers must have met stale versions").isPositive();
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        String id = customer("Stale Stan");
        String version = run("query($id: ID!) { customer(id: $id) { updatedAt } }", Map.of("id", id)).path("customer.updatedAt")
                .entity(String.class).get();
        run("mutation($id: ID!) { updateCustomer(id: $id, input: { fullName: \"Stan Two\" }) { id } }", Map.of("id", id));
        ResponseError error = error("mutation($id: ID!, $v: DateTime) { updateCustomer(id: $id, input: { fullName: \"Stan Three\" }, ifVersion: $v) { id } }",
                Map.of("id", id, "v", version));
        assertThat(error.getExtensions()).containsEntry("code", "CONFLICT").containsEntry("id", id);
        assertThat(error.getMessage()).startsWith("customers " + id + " was changed since the version you read (" + version);
        run("query($id: ID!) { customer(id: $id) { fullName } }", Map.of("id", id)).path("customer.fullName").entity(String.class).isEqualTo("Stan Two");
    }
}
