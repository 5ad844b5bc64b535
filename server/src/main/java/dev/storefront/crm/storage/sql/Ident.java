package dev.storefront.crm.storage.sql;

import java.util.regex.Pattern;

/**
 * A table or column name. Names come from metadata and are checked against a strict pattern, and
 * are always rendered quoted, so no identifier can smuggle SQL in or collide with a keyword.
 */
public record Ident(String name) {

    private static final Pattern SAFE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public Ident {
        if (name == null || !SAFE.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a safe SQL identifier: " + name);
        }
    }

    public static boolean isValid(String name) {
        return name != null && SAFE.matcher(name).matches();
    }

    public static Ident of(String name) {
        return new Ident(name);
    }

    String quoted() {
        return '"' + name + '"';
    }
}
