package dev.storefront.crm.segmentation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One SELECT that classifies every customer by a rule set: {@code id}, {@code old_segment} (the stored
 * one) and {@code segment} (the first matching segment, NULL when none matches).
 */
record Classification(String sql, List<Object> parameters) {

    static Classification of(RuleSet rules, LocalDate asOf) {
        StringBuilder sql = new StringBuilder("WITH m AS (SELECT c.*, date_diff('day', c.\"last_purchase_date\", CAST(? AS DATE)) AS d,"
                + " date_diff('day', c.\"first_purchase_date\", CAST(? AS DATE)) AS d_first FROM \"customers\" c)"
                + " SELECT \"id\", \"customer_segment\" AS old_segment, CASE");
        List<Object> parameters = new ArrayList<>(List.of(asOf.toString(), asOf.toString()));
        Conditions conditions = new Conditions(sql, parameters);
        for (RuleSet.Segment segment : rules.segments()) {
            sql.append(" WHEN ");
            conditions.render(segment.where());
            sql.append(" THEN ?");
            parameters.add(segment.name());
        }
        sql.append(" END AS segment FROM m");
        return new Classification(sql.toString(), List.copyOf(parameters));
    }

    /** The parameters of a statement that binds {@code before} ahead of this classification's own. */
    Object[] parametersAfter(Object... before) {
        List<Object> all = new ArrayList<>(List.of(before));
        all.addAll(parameters);
        return all.toArray();
    }
}
