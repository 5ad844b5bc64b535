package dev.storefront.crm.plugins;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.util.Map;
import java.util.concurrent.Callable;

/** A started plugin as the host uses it: its extensions, its context and its class loader. */
public record StartedPlugin(String id, ClassLoader loader, PluginContext context, PluginExtensions extensions) {

    /**
     * Runs plugin code that answers a request ({@code what}: a field, a list): a {@link PluginException}
     * becomes a validation error keeping its message, a {@link CrmException} passes, anything else is
     * an internal error (with an incident id), never a failure of the server.
     */
    public <T> T answer(String what, Callable<T> work) {
        try {
            return call(work);
        } catch (PluginException e) {
            throw new CrmException(ErrorCode.VALIDATION, e.getMessage(), Map.of("plugin", id, "reason", e.code()));
        } catch (CrmException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Plugin " + id + " failed in " + what, e);
        }
    }

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
