package dev.storefront.crm.api.query;

import java.util.List;

/**
 * SQL the host wrote (a SELECT, an expression or a condition), with its {@code ?} parameters in order,
 * for a plugin to embed in its own {@code CrmContext.sql} query (e.g. {@code c.id IN (<sql>)}), binding
 * {@code parameters} at the place of the embedding.
 */
public record Selection(String sql, List<Object> parameters) {

    public Selection {
        parameters = List.copyOf(parameters);
    }
}
