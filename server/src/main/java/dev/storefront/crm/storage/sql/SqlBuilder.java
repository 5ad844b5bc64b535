package dev.storefront.crm.storage.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builds one statement from three kinds of parts: keywords written in our own code
 * ({@link #sql}), identifiers ({@link #ident}, always quoted) and values ({@link #bind}, always a
 * placeholder). User input can only ever arrive as an identifier checked by {@link Ident} or as a
 * bound value, never as SQL text.
 */
public final class SqlBuilder {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> binds = new ArrayList<>();

    /** Appends SQL written in our source code; never pass anything derived from input. */
    public SqlBuilder sql(String keywords) {
        text.append(keywords);
        return this;
    }

    public SqlBuilder ident(Ident ident) {
        text.append(ident.quoted());
        return this;
    }

    public SqlBuilder ident(String name) {
        return ident(Ident.of(name));
    }

    /** {@code "a", "b", "c"} */
    public SqlBuilder idents(Collection<String> names) {
        String separator = "";
        for (String name : names) {
            text.append(separator);
            ident(name);
            separator = ", ";
        }
        return this;
    }

    public SqlBuilder bind(Object value) {
        text.append('?');
        binds.add(value);
        return this;
    }

    /** {@code ?, ?, ?} for each value. */
    public SqlBuilder binds(Collection<?> values) {
        String separator = "";
        for (Object value : values) {
            text.append(separator);
            bind(value);
            separator = ", ";
        }
        return this;
    }

    /**
     * Appends a plugin's SELECT with its {@code ?} parameters. Only for text DuckDB has already
     * parsed as exactly one SELECT statement (see BoundSelect). A closing semicolon is dropped and a
     * new line ends it, so it can be nested and a trailing comment cannot swallow what follows.
     */
    public SqlBuilder checkedSelect(String select, List<Object> parameters) {
        text.append(select.strip().replaceFirst(";+$", "")).append('\n');
        binds.addAll(parameters);
        return this;
    }

    /** Appends a statement another builder made, its values bound after those already here. */
    public SqlBuilder append(Sql part) {
        text.append(part.text());
        binds.addAll(part.binds());
        return this;
    }

    public SqlBuilder where(Condition condition) {
        if (!(condition instanceof Condition.Always)) {
            text.append(" WHERE ");
            condition.render(this);
        }
        return this;
    }

    public SqlBuilder condition(Condition condition) {
        condition.render(this);
        return this;
    }

    public Sql build() {
        return new Sql(text.toString(), binds);
    }
}
