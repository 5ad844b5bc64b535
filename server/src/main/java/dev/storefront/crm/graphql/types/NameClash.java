package dev.storefront.crm.graphql.types;

/**
 * Two parts of the model (or the model and the host or a plugin) would give the API one name. Its
 * message names both in a store owner's words, e.g. "the API would use the name 'OrderStatus' for
 * both the options of field orders.status and object order_statuses".
 */
public final class NameClash extends RuntimeException {

    private final String name;
    private final String owner;
    private final String newcomer;

    public NameClash(String name, String owner, String newcomer) {
        super("the API would use the name '" + name + "' for both " + owner + " and " + newcomer);
        this.name = name;
        this.owner = owner;
        this.newcomer = newcomer;
    }

    public String name() {
        return name;
    }

    /** What had the name first. */
    public String owner() {
        return owner;
    }

    /** What asked for it again. */
    public String newcomer() {
        return newcomer;
    }
}
