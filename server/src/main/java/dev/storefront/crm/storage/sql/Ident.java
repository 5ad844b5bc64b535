package dev.storefront.crm.storage.sql;

/**
 * A table or column name. Names come from metadata and are checked against a strict pattern, and
 * are always rendered quoted, so no identifier can smuggle SQL in or collide with a keyword.
 */
public record Ident(String name) {

    private static final int MAX_LENGTH = 63;

    public Ident {
        if (!isValid(name)) {
            throw new IllegalArgumentException("Not a safe SQL identifier: " + name);
        }
    }

    /**
     * A lower-case letter, then lower-case letters, digits and underscores, 63 characters at most.
     * Checked by hand rather than by a regex: every statement checks each of its names.
     */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !lowerLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!lowerLetter(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    public static Ident of(String name) {
        return new Ident(name);
    }

    String quoted() {
        return '"' + name + '"';
    }
}
