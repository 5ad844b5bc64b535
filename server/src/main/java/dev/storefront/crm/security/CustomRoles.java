package dev.storefront.crm.security;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.security.CustomRole.ObjectGrant;
import dev.storefront.crm.security.CustomRole.Operation;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SecurityTables;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The custom roles: those declared in configuration ({@code crm.security.roles.*}, read-only here)
 * and those made through GraphQL ({@code createRole}, {@code updateRole}, {@code deleteRole}), stored in
 * {@code crm_role_grants}. A key names its role; a change to the role applies to its keys at once,
 * and a role cannot be deleted while a key that still works names it.
 */
public final class CustomRoles {

    private static final Logger log = LoggerFactory.getLogger(CustomRoles.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,39}");

    private final DuckDb db;
    private final Supplier<MetadataSnapshot> model;
    private final SecurityTables tables = new SecurityTables();
    private final ApiKeys keys;
    private final Map<String, CustomRole> byName = new ConcurrentHashMap<>();

    /** Needs {@link ApiKeys} first: it creates the tables. */
    public CustomRoles(DuckDb db, Supplier<MetadataSnapshot> model, Collection<CustomRole> configured, ApiKeys keys) {
        this.db = db;
        this.model = model;
        this.keys = keys;
        Map<String, Map<String, ObjectGrant>> stored = new LinkedHashMap<>();
        for (SecurityTables.GrantRow row : db.read(tables::grants)) {
            stored.computeIfAbsent(row.role(), r -> new LinkedHashMap<>()).put(row.object(), new ObjectGrant(
                    operations(row.operations(), "operations"), split(row.readable()), split(row.writable())));
        }
        stored.forEach((name, grants) -> byName.put(name, new CustomRole(name, grants, false)));
        configured.forEach(role -> byName.put(role.name(), role));
    }

    /**
     * Logs each configured role that does not fit the model (an object or field it names is missing,
     * perhaps a typo or a plugin not started): its keys then see what does fit, nothing more.
     */
    public void reportConfigured() {
        MetadataSnapshot current = model.get();
        byName.values().stream().filter(CustomRole::configured).forEach(role -> {
            try {
                check(role, current);
            } catch (CrmException e) {
                log.error("crm.security.roles.{}: {}", role.name(), e.getMessage());
            }
        });
    }

    public Optional<CustomRole> find(String name) {
        return Optional.ofNullable(name).map(byName::get);
    }

    public List<CustomRole> list() {
        return byName.values().stream().sorted(Comparator.comparing(CustomRole::name)).toList();
    }

    public CustomRole create(CustomRole role) {
        checkName(role.name());
        if (byName.containsKey(role.name())) {
            throw new CrmException(ErrorCode.CONFLICT, "name: a role named '" + role.name() + "' already exists; change it with updateRole",
                    Map.of("field", "name"));
        }
        return store(role);
    }

    public CustomRole update(CustomRole role) {
        storedRole(role.name(), "change");
        return store(role);
    }

    /**
     * Deletes a role made through GraphQL. Refused while a key that still works (neither revoked nor
     * expired) names it: those keys would stop working unannounced. The keys are read under the write
     * lock, which every key creation takes too, so none can slip in between the check and the delete.
     */
    public CustomRole delete(String name) {
        CustomRole existing = storedRole(name, "delete");
        return db.write(tx -> {
            List<String> using = keys.workingKeysOf(name).stream().map(ApiKeys.ApiKey::name).toList();
            if (!using.isEmpty()) {
                throw new CrmException(ErrorCode.CONFLICT, "name: role '" + name + "' is the role of " + using.size()
                        + (using.size() == 1 ? " API key" : " API keys") + " (" + String.join(", ", using)
                        + "); revoke " + (using.size() == 1 ? "it" : "them") + " first", Map.of("field", "name"));
            }
            tables.deleteGrants(tx, name);
            tx.afterCommit(() -> byName.remove(name));
            return existing;
        });
    }

    /** The role named {@code name} made through GraphQL, which may be changed: not one from configuration. */
    private CustomRole storedRole(String name, String verb) {
        CustomRole existing = byName.get(name);
        if (existing == null) {
            throw new NotFoundException("No custom role named '" + name + "'", Map.of("name", String.valueOf(name)));
        }
        if (existing.configured()) {
            throw new CrmException(ErrorCode.VALIDATION, "name: role '" + name + "' is declared in the configuration (crm.security.roles); "
                    + verb + " it there", Map.of("field", "name"));
        }
        return existing;
    }

    /** Parses {@code read, update} (any case) into operations; {@code field} names where it came from in errors. */
    public static Set<Operation> operations(String text, String field) {
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        for (String word : split(text)) {
            operations.add(Arrays.stream(Operation.values()).filter(o -> o.label().equalsIgnoreCase(word)).findFirst()
                    .orElseThrow(() -> new CrmException(ErrorCode.VALIDATION, field + ": '" + word
                            + "' is not an operation (read, create, update, delete)", Map.of("field", field))));
        }
        return operations;
    }

    /**
     * Checks a role against the model before it is stored: every object and field it names exists,
     * each object it lists is readable (the other operations answer with the entry), and it writes
     * only fields it reads.
     */
    public static void check(CustomRole role, MetadataSnapshot model) {
        if (role.objects().isEmpty()) {
            throw new CrmException(ErrorCode.VALIDATION, "objects: role '" + role.name() + "' grants no object; list at least one",
                    Map.of("field", "objects"));
        }
        List<String> unknown = role.unknownNames(model);
        if (!unknown.isEmpty()) {
            throw new CrmException(ErrorCode.VALIDATION, "objects: role '" + role.name() + "' names what the model does not have: "
                    + String.join(", ", unknown), Map.of("field", "objects"));
        }
        role.objects().forEach((object, grant) -> {
            if (!grant.operations().contains(Operation.READ)) {
                throw new CrmException(ErrorCode.VALIDATION, "objects." + object + ".operations: include read; a role that may "
                        + grant.operations().stream().map(Operation::label).collect(Collectors.joining(", ")) + " " + object
                        + " must also read them", Map.of("field", "objects." + object + ".operations"));
            }
            List<String> unread = grant.writable().stream().filter(f -> !grant.readable().contains(f)).sorted().toList();
            if (!unread.isEmpty()) {
                throw new CrmException(ErrorCode.VALIDATION, "objects." + object + ".writable: " + String.join(", ", unread)
                        + " must also be readable", Map.of("field", "objects." + object + ".writable"));
            }
        });
    }

    private CustomRole store(CustomRole role) {
        check(role, model.get());
        List<SecurityTables.GrantRow> rows = role.objects().entrySet().stream().map(e -> new SecurityTables.GrantRow(role.name(),
                e.getKey(), e.getValue().operations().stream().sorted().map(Operation::label).collect(Collectors.joining(",")),
                String.join(",", e.getValue().readable().stream().sorted().toList()),
                String.join(",", e.getValue().writable().stream().sorted().toList()))).toList();
        CustomRole stored = new CustomRole(role.name(), role.objects(), false);
        db.write(tx -> {
            tables.replaceGrants(tx, role.name(), rows);
            tx.afterCommit(() -> byName.put(role.name(), stored));
            return null;
        });
        return stored;
    }

    /** Refuses a name that is not a role name or is a built-in role's. */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CrmException(ErrorCode.VALIDATION, "name: '" + name + "' is not a role name; use lower-case letters, digits, '-' "
                    + "and '_', starting with a letter, at most 40", Map.of("field", "name"));
        }
        if (Arrays.stream(Role.values()).anyMatch(r -> r.label().equals(name))) {
            throw new CrmException(ErrorCode.VALIDATION, "name: '" + name + "' is a built-in role; choose another name",
                    Map.of("field", "name"));
        }
    }

    private static Set<String> split(String text) {
        return text == null || text.isBlank() ? Set.of()
                : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
