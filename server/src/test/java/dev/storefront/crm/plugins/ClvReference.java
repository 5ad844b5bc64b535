package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.test.tester.GraphQlTester;

/**
 * What the CLV end-to-end tests compute on their own side: the BG/NBD formulas of Fader, Hardie and
 * Lee (2005) as written, with 2F1 summed term by term (the plugin transforms it; this does not), the
 * spend tiers by cumulative share, and a job run to its end.
 */
final class ClvReference {

    private ClvReference() {
    }

    /** A score or model value: scores are Decimal fields (JSON strings), the model's statistics plain numbers. */
    static double number(Map<String, Object> values, String key) {
        return new BigDecimal(String.valueOf(values.get(key))).doubleValue();
    }

    /** P(alive | x, t_x, T), FHL 2005 eq. 11, with the parameters of a reported model; t_x and T in weeks. */
    static double alive(Map<String, Object> model, int x, double tx, double t) {
        if (x == 0) {
            return 1;
        }
        double r = number(model, "r");
        double alpha = number(model, "alpha");
        return 1 / (1 + number(model, "a") / (number(model, "b") + x - 1) * Math.pow((alpha + t) / (alpha + tx), r + x));
    }

    /**
     * E[Y(h) | x, t_x, T], FHL 2005 eq. 10, with 2F1 summed term by term as written (the tests' stores keep
     * z = h / (alpha + T + h) well below 1, where the plain series converges in a few hundred terms).
     */
    static double expectedOrders(Map<String, Object> model, double h, int x, double tx, double t) {
        double r = number(model, "r");
        double alpha = number(model, "alpha");
        double a = number(model, "a");
        double b = number(model, "b");
        double z = h / (alpha + t + h);
        double sum = 1;
        double term = 1;
        for (int k = 0; k < 1_000_000 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
            term *= (r + x + k) * (b + x + k) / ((a + b + x - 1 + k) * (k + 1)) * z;
            sum += term;
        }
        double survival = Math.pow((alpha + t) / (alpha + t + h), r + x) * sum;
        return (a + b + x - 1) / (a - 1) * (1 - survival) * alive(model, x, tx, t);
    }

    /**
     * Every scored customer's tier: the share of scored customers whose Predicted CLV 365 Days is at
     * least theirs (ties share it) up to 0.2 is HIGH, up to 0.6 MEDIUM, the rest LOW.
     */
    static void assertSpendTiers(Collection<Map<String, Object>> scored) {
        for (Map<String, Object> c : scored) {
            double clv = number(c, "predictedClv365Days");
            double share = scored.stream().filter(o -> number(o, "predictedClv365Days") >= clv).count() / (double) scored.size();
            assertThat(c.get("predictedSpendTier")).as("customer %s, CLV %s, share %s", c.get("id"), clv, share)
                    .isEqualTo(share <= 0.2 ? "HIGH" : share <= 0.6 ? "MEDIUM" : "LOW");
        }
    }

    /** Runs a CLV job with JSON args and waits (up to a minute) until it has ended; answers its state and message. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> runJob(GraphQlTester graphQl, String job, String args) {
        String id = graphQl.document("mutation($args: String) { runJob(plugin: \"clv\", job: \"" + job + "\", args: $args) { id } }")
                .variable("args", args).execute().path("runJob.id").entity(String.class).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Object> state = graphQl.document("query($id: ID!) { job(id: $id) { state message } }").variable("id", id)
                    .execute().path("job").entity(Map.class).get();
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state.get("state"))) {
                return state;
            }
            assertThat(System.nanoTime()).as("job %s still running", id).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
