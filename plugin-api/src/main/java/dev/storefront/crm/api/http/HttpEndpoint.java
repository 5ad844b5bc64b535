package dev.storefront.crm.api.http;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * Answers HTTP requests under {@code /plugins/<pluginId>/<path>} (webhooks, callbacks). The request
 * keeps its raw body bytes and headers, so signatures can be checked on exactly what was sent.
 */
public interface HttpEndpoint extends ExtensionPoint {

    /** Relative path without leading slash, e.g. {@code webhooks/orders}; matched exactly. */
    String path();

    HttpResponse handle(HttpRequest request, PluginContext context) throws Exception;
}
