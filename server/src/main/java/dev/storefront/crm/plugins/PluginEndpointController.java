package dev.storefront.crm.plugins;

import dev.storefront.crm.api.http.HttpEndpoint;
import dev.storefront.crm.api.http.HttpRequest;
import dev.storefront.crm.api.http.HttpResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /plugins/{pluginId}/**}: hands the raw request to the plugin's {@link HttpEndpoint} for that path. */
@RestController
class PluginEndpointController {

    private static final Logger log = LoggerFactory.getLogger(PluginEndpointController.class);

    private final PluginHost host;

    PluginEndpointController(PluginHost host) {
        this.host = host;
    }

    @RequestMapping("/plugins/{pluginId}/**")
    ResponseEntity<byte[]> handle(@PathVariable String pluginId, HttpServletRequest request) throws IOException {
        String prefix = request.getContextPath() + "/plugins/" + pluginId + "/";
        String path = request.getRequestURI().length() > prefix.length() ? request.getRequestURI().substring(prefix.length()) : "";
        StartedPlugin plugin = host.started().stream().filter(p -> p.id().equals(pluginId)).findFirst().orElse(null);
        if (plugin == null) {
            return text(404, "No started plugin " + pluginId);
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
            return text(500, "Plugin " + pluginId + " failed");
        }
        if (endpoint == null) {
            return text(404, "Plugin " + pluginId + " has no endpoint /" + path);
        }
        // Read outside the plugin's error handling: a body over crm.http.max-body-size fails here, before
        // the plugin sees it (a signature check needs the whole body), and is answered 413.
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readAllBytes();
        }
        HttpRequest call = new HttpRequest(request.getMethod(), path, headers(request), query(request), body);
        HttpEndpoint chosen = endpoint;
        try {
            HttpResponse answer = plugin.call(() -> chosen.handle(call, plugin.context()));
            return ResponseEntity.status(answer.status())
                    .contentType(MediaType.parseMediaType(answer.contentType() == null ? "application/octet-stream" : answer.contentType()))
                    .body(answer.body());
        } catch (Exception e) {
            log.error("Plugin {} failed answering /{}", pluginId, path, e);
            return text(500, "Plugin " + pluginId + " failed");
        }
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

    private static ResponseEntity<byte[]> text(int status, String text) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
