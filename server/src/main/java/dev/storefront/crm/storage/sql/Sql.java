package dev.storefront.crm.storage.sql;

import java.util.List;

/** A rendered statement: its text with {@code ?} placeholders and the values bound to them, in order. */
public record Sql(String text, List<Object> binds) {

    public Sql {
        binds = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(binds));
    }

    @Override
    public String toString() {
        return text + " " + binds;
    }
}
