package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** An ordered list of segments, each with its conditions; the first segment whose conditions hold wins. */
record RuleSet(String name, List<Segment> segments) {

    static final List<String> SHIPPED = List.of("recency-value", "lifecycle");

    /** @param where conditions in GraphQL's {@code where} model on customers, plus day-relative and percentile ones */
    record Segment(String name, Map<String, Object> where) {
    }

    static RuleSet shipped(String name) {
        if (!SHIPPED.contains(name)) {
            throw new PluginException("segmentation.rule-set", "No rule set '" + name + "'; shipped: " + String.join(", ", SHIPPED));
        }
        Map<String, Object> document = yaml("segmentation/" + name + ".yaml");
        List<Segment> segments = new ArrayList<>();
        for (Object item : (List<?>) document.get("segments")) {
            Map<?, ?> segment = (Map<?, ?>) item;
            segments.add(new Segment((String) segment.get("name"), cast(segment.get("where"))));
        }
        return new RuleSet(name, List.copyOf(segments));
    }

    static Map<String, Object> yaml(String resource) {
        try (InputStream in = RuleSet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new PluginException("segmentation.resource", "Missing resource " + resource);
            }
            return cast(YAMLMapper.builder().build().readValue(in, Map.class));
        } catch (IOException e) {
            throw new PluginException("segmentation.resource", "Cannot read " + resource + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object value) {
        return value == null ? Map.of() : new LinkedHashMap<>((Map<String, Object>) value);
    }
}
