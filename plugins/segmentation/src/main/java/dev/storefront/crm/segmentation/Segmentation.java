package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.CrmContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reclassification and RFM scoring, each a few set-based statements in one transaction: the moves
 * are recorded as {@code segment_changes} entries (one INSERT ... SELECT; listeners hear each as a
 * created entry), then the customers are updated from those moves (one UPDATE, only the customers
 * whose segment changes).
 */
final class Segmentation {

    private Segmentation() {
    }

    static Map<String, Object> reclassify(CrmContext crm, RuleSet rules, LocalDate asOf) {
        Classification classification = Classification.of(rules, asOf);
        String moves = "SELECT \"id\" AS customer, ? AS rule_set, old_segment AS from_segment, segment AS to_segment,"
                + " ? AS changed_at, CAST(? AS DATE) AS as_of FROM (" + classification.sql() + ") WHERE old_segment IS DISTINCT FROM segment";
        // Stored to the microsecond: the update below finds this run's moves by it.
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        long moved = crm.inTransaction(tx -> {
            long created = tx.createFromQuery("segment_changes", List.of("customer", "rule_set", "from_segment", "to_segment",
                    "changed_at", "as_of"), moves, classification.parametersAfter(rules.name(), now, asOf.toString()));
            // The movers are the moves just recorded (this run's rule set and instant): classifying again cost as much as the first time.
            tx.updateFromQuery("customers", List.of("customer_segment"), "SELECT \"customer_id\" AS \"id\", \"to_segment\" AS"
                    + " customer_segment FROM \"segment_changes\" WHERE \"rule_set\" = ? AND \"changed_at\" = ?", rules.name(), now);
            return created;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ruleSet", rules.name());
        answer.put("asOf", asOf);
        List<Map<String, Object>> counts = new ArrayList<>();
        long unmatched = 0;
        for (Map<String, Object> row : crm.sql("SELECT \"customer_segment\" AS segment, count(*) AS n FROM \"customers\""
                + " GROUP BY ALL ORDER BY ALL")) {
            long n = ((Number) row.get("n")).longValue();
            if (row.get("segment") == null) {
                unmatched = n;
            } else {
                counts.add(Map.of("segment", row.get("segment"), "customers", (int) n));
            }
        }
        answer.put("counts", counts);
        answer.put("moved", (int) moved);
        answer.put("unmatched", (int) unmatched);
        return answer;
    }

    /**
     * Scores R, F and M from 1 to 5 over customers with a counted order: score = 1 + floor(5 * (rank - 1) / n),
     * rank = RANK() ascending (R over days since the last order, descending), then the group of (R, FM).
     * Customers without a counted order get no scores and the prospects group.
     */
    static Map<String, Object> scoreRfm(CrmContext crm, RfmGroups groups, LocalDate asOf) {
        StringBuilder values = new StringBuilder();
        List<Object> parameters = new ArrayList<>(List.of(asOf.toString()));
        groups.cells().forEach((cell, name) -> {
            values.append(values.length() == 0 ? "" : ", ").append("(CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS VARCHAR))");
            parameters.add(cell.get(0));
            parameters.add(cell.get(1));
            parameters.add(name);
        });
        parameters.add(groups.prospects());
        String select = "WITH s AS (SELECT \"id\", date_diff('day', \"last_purchase_date\", CAST(? AS DATE)) AS days,"
                + " \"total_orders\", \"lifetime_value\" FROM \"customers\" WHERE \"total_orders\" > 0),"
                + " n AS (SELECT count(*) AS n FROM s),"
                + " scored AS (SELECT s.\"id\","
                + " CAST(1 + floor(5 * (rank() OVER (ORDER BY days DESC) - 1) / n.n) AS BIGINT) AS r,"
                + " CAST(1 + floor(5 * (rank() OVER (ORDER BY \"total_orders\") - 1) / n.n) AS BIGINT) AS f,"
                + " CAST(1 + floor(5 * (rank() OVER (ORDER BY \"lifetime_value\") - 1) / n.n) AS BIGINT) AS m FROM s, n),"
                + " g (r, fm, name) AS (VALUES " + values + ")"
                + " SELECT \"id\", r_score, f_score, m_score, rfm_group FROM (SELECT c.\"id\", scored.r AS r_score,"
                + " scored.f AS f_score, scored.m AS m_score, coalesce(g.name, ?) AS rfm_group, c.\"r_score\" AS r_was, c.\"f_score\" AS f_was, c.\"m_score\" AS m_was,"
                + " c.\"rfm_group\" AS group_was FROM \"customers\" c LEFT JOIN scored ON scored.\"id\" = c.\"id\""
                + " LEFT JOIN g ON g.r = scored.r AND g.fm = CAST(floor((scored.f + scored.m + 1) / 2) AS INTEGER))"
                // Only the customers whose scores or group change are staged and written.
                + " WHERE r_score IS DISTINCT FROM r_was OR f_score IS DISTINCT FROM f_was OR m_score IS DISTINCT FROM m_was"
                + " OR rfm_group IS DISTINCT FROM group_was";
        long changed = crm.updateFromQuery("customers", List.of("r_score", "f_score", "m_score", "rfm_group"), select,
                parameters.toArray());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("asOf", asOf);
        answer.put("changed", (int) changed);
        List<Map<String, Object>> counts = new ArrayList<>();
        for (Map<String, Object> row : crm.sql("SELECT \"rfm_group\" AS rfm_group, count(*) AS n FROM \"customers\""
                + " GROUP BY ALL ORDER BY ALL")) {
            counts.add(Map.of("segment", String.valueOf(row.get("rfm_group")), "customers", ((Number) row.get("n")).intValue()));
        }
        answer.put("counts", counts);
        return answer;
    }
}
