package dev.storefront.crm.plugins;

import dev.storefront.crm.api.PluginContext;
import java.util.concurrent.Callable;

/** A started plugin as the host uses it: its extensions, its context and its class loader. */
public record StartedPlugin(String id, ClassLoader loader, PluginContext context, PluginExtensions extensions) {

    /** Runs plugin code with the plugin's class loader as the context class loader. */
    public <T> T call(Callable<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return work.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
