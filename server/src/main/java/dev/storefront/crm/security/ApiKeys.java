package dev.storefront.crm.security;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SecurityTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: created with a random secret shown once, stored as the secret's SHA-256 (the secrets
 * are 256 random bits, so a fast hash is enough), listed without secrets, revoked, expired. Every
 * request is checked against an in-memory copy of the table, kept in step by this class (the only
 * writer), so authentication costs no SQL.
 */
public final class ApiKeys {

    /**
     * A key as listed: never its secret.
     *
     * @param plugin     the one plugin whose operations the key may call, or null for a key of the whole API
     * @param customRole the custom role of a key whose role is {@link Role#CUSTOM}, else null
     */
    public record ApiKey(String id, String name, Role role, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                         OffsetDateTime revokedAt, String plugin, String customRole) {

        boolean validAt(OffsetDateTime now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    /** A new key with its secret, which is never shown again. */
    public record Created(ApiKey key, String secret) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DuckDb db;
    private final Clock clock;
    private final SecurityTables tables = new SecurityTables();
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    private final String configuredAdminHash;

    /** @param configuredAdminKey a key accepted as admin without being stored ({@code crm.security.admin-key}), or null */
    public ApiKeys(DuckDb db, Clock clock, String configuredAdminKey) {
        this.db = db;
        this.clock = clock;
        this.configuredAdminHash = configuredAdminKey == null || configuredAdminKey.isBlank() ? null : hash(configuredAdminKey);
        db.write(tx -> {
            tables.createTables(tx);
            return null;
        });
        db.read(tables::keys).forEach(row -> byHash.put(row.secretHash(), key(row)));
    }

    public Created create(String name, Role role, OffsetDateTime expiresAt) {
        return create(name, role, expiresAt, null, null);
    }

    /**
     * @param plugin     the plugin whose GraphQL operations alone the key may call, e.g. for a plugin's own sender; null: no limit
     * @param customRole the custom role, which the caller checked exists: needed for role {@code custom}, refused for the others
     */
    public Created create(String name, Role role, OffsetDateTime expiresAt, String plugin, String customRole) {
        if (name == null || name.isBlank()) {
            throw new CrmException(ErrorCode.VALIDATION, "name: a key needs a name, e.g. the person or program that uses it",
                    Map.of("field", "name"));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new CrmException(ErrorCode.VALIDATION, "expiresAt: " + expiresAt + " is not in the future", Map.of("field", "expiresAt"));
        }
        if ((role == Role.CUSTOM) != (customRole != null)) {
            throw new CrmException(ErrorCode.VALIDATION, role == Role.CUSTOM ? "customRole: a key of role CUSTOM names its custom role"
                    : "customRole: only a key of role CUSTOM has a custom role", Map.of("field", "customRole"));
        }
        if (customRole != null && plugin != null) {
            throw new CrmException(ErrorCode.VALIDATION, "plugin: a key of a custom role cannot also be limited to a plugin",
                    Map.of("field", "plugin"));
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = "crm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        SecurityTables.KeyRow row = new SecurityTables.KeyRow(UUID.randomUUID().toString(), name.strip(), role.label(), hash(secret),
                now, expiresAt, null, plugin, customRole);
        ApiKey key = key(row);
        db.write(tx -> {
            tables.insertKey(tx, row);
            // The key works once stored: the caller's transaction (with its audit row) may still fail.
            tx.afterCommit(() -> byHash.put(row.secretHash(), key));
            return null;
        });
        return new Created(key, secret);
    }

    public ApiKey revoke(String id) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        ApiKey key = find(id).orElseThrow(() -> new NotFoundException("No API key with id " + id, Map.of("id", id)));
        ApiKey revoked = new ApiKey(key.id(), key.name(), key.role(), key.createdAt(), key.expiresAt(), now, key.plugin(),
                key.customRole());
        db.write(tx -> {
            tables.revokeKey(tx, id, now);
            tx.afterCommit(() -> byHash.replaceAll((hash, listed) -> listed.id().equals(id) ? revoked : listed));
            return null;
        });
        return revoked;
    }

    public List<ApiKey> list() {
        return byHash.values().stream().sorted(java.util.Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    /** The keys of custom role {@code customRole} that still work: neither revoked nor expired. */
    public List<ApiKey> workingKeysOf(String customRole) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return list().stream().filter(k -> customRole.equals(k.customRole()) && k.validAt(now)).toList();
    }

    /** True when a key of the whole API (not of one plugin), neither revoked nor expired, has the admin role. */
    public boolean hasValidAdminKey() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return configuredAdminHash != null
                || byHash.values().stream().anyMatch(k -> k.role() == Role.ADMIN && k.plugin() == null && k.validAt(now));
    }

    /** The principal of {@code secret}, when it is a key neither revoked nor expired. */
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String hash = hash(secret.strip());
        if (hash.equals(configuredAdminHash)) {
            return Optional.of(new Principal("configured", "crm.security.admin-key", Role.ADMIN, null, null));
        }
        ApiKey key = byHash.get(hash);
        return key != null && key.validAt(OffsetDateTime.now(clock))
                ? Optional.of(new Principal(key.id(), key.name(), key.role(), key.plugin(), key.customRole())) : Optional.empty();
    }

    private Optional<ApiKey> find(String id) {
        return byHash.values().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    private static ApiKey key(SecurityTables.KeyRow row) {
        return new ApiKey(row.id(), row.name(), Role.parse(row.role()), row.createdAt(), row.expiresAt(), row.revokedAt(), row.plugin(),
                row.customRole());
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
