package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One read-only SELECT in standard SQL with its values bound, never pasted into the text. The
 * few identifiers that come from configuration (the aggregate widget's fields) go through
 * {@link #ident}, which only accepts names the model declares.
 */
final class Select {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    Select sql(String sql) {
        text.append(sql);
        return this;
    }

    Select bind(Object value) {
        text.append('?');
        values.add(value);
        return this;
    }

    /** Another select's text and values, as a subquery or common table expression. */
    Select append(Select inner) {
        text.append(inner.text);
        values.addAll(inner.values);
        return this;
    }

    /** A SELECT the host wrote, with its values. */
    Select embed(Selection host) {
        text.append(host.sql());
        values.addAll(host.parameters());
        return this;
    }

    /** {@code (?, ?, ?)} for the values of an IN list. */
    Select list(List<?> items) {
        text.append('(');
        for (int i = 0; i < items.size(); i++) {
            text.append(i == 0 ? "" : ", ");
            bind(items.get(i));
        }
        text.append(')');
        return this;
    }

    /** A quoted identifier; {@code name} is an api name checked against the model by the caller. */
    Select ident(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not an api name: " + name);
        }
        text.append('"').append(name).append('"');
        return this;
    }

    List<Map<String, Object>> run(CrmContext crm) {
        return crm.sql(text.toString(), values.toArray());
    }
}
