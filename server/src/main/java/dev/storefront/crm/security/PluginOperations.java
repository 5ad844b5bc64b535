package dev.storefront.crm.security;

import java.util.Optional;

/** Which plugin contributed each GraphQL operation: what a plugin-scoped key may call. */
public interface PluginOperations {

    /** The plugin of root field {@code coordinates} (e.g. {@code Mutation.wooCommerceSync}); empty for the CRM's own. */
    Optional<String> pluginOf(String coordinates);

    /** Whether a plugin of this id is installed, started or not. */
    boolean installed(String pluginId);
}
