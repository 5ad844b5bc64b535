package dev.storefront.crm.plugins;

import dev.storefront.crm.api.http.HttpEndpoint;
import dev.storefront.crm.api.http.HttpRequest;
import dev.storefront.crm.api.http.HttpResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * {@code /plugins/{pluginId}/{path}}: hands the raw request to the plugin's {@link HttpEndpoint} for that
 * path. A servlet of its own, mapped ahead of Spring MVC's dispatcher: a plugin endpoint takes raw bytes
 * and answers raw bytes, so handler mapping, argument resolution and message conversion did nothing for
 * it but cost a third of a webhook delivery's CPU. The filters (body bound, error shape, metrics) still run.
 */
final class PluginEndpointServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(PluginEndpointServlet.class);

    private final transient PluginHost host;

    PluginEndpointServlet(PluginHost host) {
        this.host = host;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pluginAndPath = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        int slash = pluginAndPath.indexOf('/');
        String pluginId = slash < 0 ? pluginAndPath : pluginAndPath.substring(0, slash);
        String path = slash < 0 ? "" : pluginAndPath.substring(slash + 1);
        StartedPlugin plugin = host.started().stream().filter(p -> p.id().equals(pluginId)).findFirst().orElse(null);
        if (plugin == null) {
            write(response, HttpResponse.text(404, "No started plugin " + pluginId));
            return;
        }
        HttpEndpoint endpoint = null;
        try {
            for (HttpEndpoint candidate : plugin.extensions().endpoints()) {
                if (path.equals(plugin.call(candidate::path))) {
                    endpoint = candidate;
                    break;
                }
            }
        } catch (Exception e) {
            log.error("Plugin {} failed naming its endpoints", pluginId, e);
            write(response, HttpResponse.text(500, "Plugin " + pluginId + " failed"));
            return;
        }
        if (endpoint == null) {
            write(response, HttpResponse.text(404, "Plugin " + pluginId + " has no endpoint /" + path));
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(observation -> observation.setPathPattern("/plugins/" + pluginId + "/" + path));
        // Read outside the plugin's error handling: a body over crm.http.max-body-size fails here, before
        // the plugin sees it (a signature check needs the whole body), and is answered 413 by RequestGuard.
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readAllBytes();
        }
        HttpRequest call = new HttpRequest(request.getMethod(), path, headers(request), query(request), body);
        HttpEndpoint chosen = endpoint;
        HttpResponse answer;
        try {
            answer = plugin.call(() -> chosen.handle(call, plugin.context()));
        } catch (Exception e) {
            log.error("Plugin {} failed answering /{}", pluginId, path, e);
            answer = HttpResponse.text(500, "Plugin " + pluginId + " failed");
        }
        write(response, answer);
    }

    private static void write(HttpServletResponse response, HttpResponse answer) throws IOException {
        response.setStatus(answer.status());
        response.setContentType(answer.contentType() == null ? "application/octet-stream" : answer.contentType());
        byte[] body = answer.body() == null ? new byte[0] : answer.body();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(request.getHeaders(name)));
        }
        return headers;
    }

    private static Map<String, List<String>> query(HttpServletRequest request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> query.put(k, List.of(v)));
        return query;
    }
}
