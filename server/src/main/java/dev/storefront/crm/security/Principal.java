package dev.storefront.crm.security;

/** Who sent a request: the key's id and name, and its role. */
public record Principal(String keyId, String keyName, Role role) {

    /** The request attribute (and GraphQL context key) that carries the principal of a request. */
    public static final String ATTRIBUTE = "crm.principal";
}
