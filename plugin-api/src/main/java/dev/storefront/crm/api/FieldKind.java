package dev.storefront.crm.api;

/**
 * The kinds of value a CRM field can hold. Plugins declare fields with these; the server decides
 * how each is stored and exposed.
 */
public enum FieldKind {
    TEXT,
    EMAIL,
    PHONE,
    URL,
    NUMBER,
    INTEGER,
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM,
    MULTI_ENUM,
    TAGS,
    RICHTEXT,
    /** Many-to-one link to an entry of another object; the target gets the reverse list. */
    RELATION;

    public boolean isList() {
        return this == MULTI_ENUM || this == TAGS;
    }

    public boolean hasOptions() {
        return this == ENUM || this == MULTI_ENUM;
    }

    public boolean isTextual() {
        return this == TEXT || this == EMAIL || this == PHONE || this == URL || this == RICHTEXT;
    }

    public boolean isNumeric() {
        return this == NUMBER || this == INTEGER;
    }
}
