package dev.storefront.crm.security;

/**
 * Who sent a request: the key's id and name, and its role.
 *
 * @param plugin     the one plugin whose operations the key may call, or null for a key of the whole API
 * @param customRole the name of the {@link CustomRole} of a key whose role is {@link Role#CUSTOM}, else null
 */
public record Principal(String keyId, String keyName, Role role, String plugin, String customRole) {

    /** The request attribute (and GraphQL context key) that carries the principal of a request. */
    public static final String ATTRIBUTE = "crm.principal";
}
