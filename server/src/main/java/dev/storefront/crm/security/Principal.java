package dev.storefront.crm.security;

/**
 * Who sent a request: the key's id and name, and its role.
 *
 * @param plugin the one plugin whose operations the key may call, or null for a key of the whole API
 */
public record Principal(String keyId, String keyName, Role role, String plugin) {

    /** The request attribute (and GraphQL context key) that carries the principal of a request. */
    public static final String ATTRIBUTE = "crm.principal";
}
