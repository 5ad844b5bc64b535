package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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

    /**
     * This select's text placed inside an expression the host's dialect writes around it (which adds no
     * {@code ?} of its own), its values kept in order.
     */
    Select within(UnaryOperator<String> expression) {
        String inner = text.toString();
        text.setLength(0);
        text.append(expression.apply(inner));
        return this;
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /** A quoted identifier; {@code name} is an api name checked against the model by the caller. */
    Select ident(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not an api name: " + name);
        }
        text.append('"').append(name).append('"');
        return this;
    }

    /** The rows; a statement another widget is running at the same moment is run once (see {@link WidgetCache#shared}). */
    List<Map<String, Object>> run(CrmContext crm) {
        String sql = text.toString();
        Dashboard dashboard = DashboardPlugin.dashboard();
        return dashboard == null ? crm.sql(sql, values.toArray())
                : dashboard.cache().shared(sql, new ArrayList<>(values), () -> crm.sql(sql, values.toArray()));
    }
}
