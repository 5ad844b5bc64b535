package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the refund tests of WooCommerce ask a server of their own ({@link CrmProcess}): syncs, jobs, an order's returns. */
final class WooRefundChecks {

    private WooRefundChecks() {
    }

    /** A full {@code rest-sync}, to its end. */
    static Map<String, Object> sync(CrmProcess server) throws Exception {
        Map<String, Object> data = server.graphQl("mutation { runJob(plugin: \"woocommerce\", job: \"rest-sync\", args: \"{\\\"full\\\": true}\") { id } }",
                Map.of());
        return awaitJob(server, (String) map(data.get("runJob")).get("id"));
    }

    static Map<String, Object> awaitJob(CrmProcess server, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<String, Object> job = map(server.graphQl("query($id: ID!) { job(id: $id) { state processed errorCount message errors { row column value reason } } }",
                    Map.of("id", id)).get("job"));
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state"))) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", id, job.get("state")).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The returns of the order of WooCommerce id {@code order}: refund id, the order id they are keyed by (the first refund's, or a total's), amount. */
    static List<String> returns(CrmProcess server, long order) throws Exception {
        return texts(server, "SELECT concat_ws('|', coalesce(CAST(r.woocommerce_id AS VARCHAR), 'null'), coalesce(CAST(r.woocommerce_refunded_order AS VARCHAR),"
                + " 'null'), printf('%.2f', r.amount)) FROM returns r JOIN orders o ON o.id = r.order_id WHERE o.woocommerce_id = " + order
                + " ORDER BY r.woocommerce_id NULLS FIRST");
    }

    static String lifetimeValue(CrmProcess server, long customer) throws Exception {
        return texts(server, "SELECT printf('%.2f', lifetime_value) FROM customers WHERE woocommerce_id = " + customer).get(0);
    }

    static List<String> texts(CrmProcess server, String select) throws Exception {
        return server.sql(select).stream().map(row -> String.valueOf(row.get(0))).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
