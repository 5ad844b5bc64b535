package dev.storefront.crm.api.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** @param headers by lower-case header name */
public record HttpRequest(String method, String path, Map<String, List<String>> headers,
                          Map<String, List<String>> query, byte[] body) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
