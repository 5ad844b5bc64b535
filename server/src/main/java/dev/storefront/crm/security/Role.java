package dev.storefront.crm.security;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What a key may do. Each built-in role includes the one below it: a viewer reads entries; an editor
 * also writes entries, saved views, imports and exports; an admin also changes the model, runs the
 * SQL console, manages plugins, jobs and keys, and reads the audit log. A key of role {@code custom}
 * includes none of them: it may do only what its {@link CustomRole} grants.
 */
public enum Role {
    CUSTOM, VIEWER, EDITOR, ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** {@code admin}, {@code editor}, {@code viewer} or {@code custom}, in any case. */
    public static Role parse(String text) {
        return Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(text == null ? "" : text.strip())).findFirst()
                .orElseThrow(() -> new CrmException(ErrorCode.VALIDATION, "role: '" + text + "' is not a role (admin, editor, viewer, custom)",
                        Map.of("field", "role")));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
