package dev.storefront.crm.plugins;

/**
 * A plugin as the {@code plugins} query shows it.
 *
 * @param state STARTED, STOPPED, DISABLED, FAILED (it threw while starting) or LOAD_FAILED (its file
 *              could not be read as a plugin; {@code id} is then the file name)
 */
public record PluginInfo(String id, String version, String description, String provider, String state,
                         boolean enabled, String error, String file, PluginExtensions extensions) {
}
