package dev.storefront.crm.workflows;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mustache templates ({@code {{entry.email}}}, {@code {{settings.sender}}}, {@code {{run.code}}}) rendered
 * with a run's values. Text is not HTML-escaped (emails are plain text, webhooks JSON-encode
 * themselves), and a name with no value is an error naming it rather than an empty string in a
 * customer's email.
 */
final class Templates {

    private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false).nullValue("");
    private static final Map<String, com.samskivert.mustache.Template> COMPILED = new ConcurrentHashMap<>();

    private Templates() {
    }

    static String render(String template, Map<String, Object> values) {
        if (!template.contains("{{")) {
            return template;
        }
        try {
            return COMPILED.computeIfAbsent(template, COMPILER::compile).execute(values);
        } catch (MustacheException e) {
            throw new IllegalArgumentException("the template '" + template + "' cannot be filled: " + e.getMessage(), e);
        }
    }

    /** Every text inside {@code value} (maps and lists walked) rendered; other values kept. */
    @SuppressWarnings("unchecked")
    static Object renderAll(Object value, Map<String, Object> values) {
        if (value instanceof String text) {
            return render(text, values);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, renderAll(v, values)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> renderAll(v, values)).toList();
        }
        return value;
    }
}
