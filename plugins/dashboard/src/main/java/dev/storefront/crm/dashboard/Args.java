package dev.storefront.crm.dashboard;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * What one widget is computed for: the period, the customers it looks at, and the widget's own
 * options (granularity, limit, ...), already checked, with the store's time zone ({@code crm.timezone},
 * the zone of the customers' stored purchase dates). Equal arguments give equal results, so this
 * is also the widget's cache key.
 */
record Args(Period period, CustomerFilter filter, Map<String, Object> options, ZoneId storeZone) {

    Args {
        options = Map.copyOf(options);
    }

    Granularity granularity() {
        return Granularity.valueOf((String) options.getOrDefault("granularity", Granularity.MONTH.name()));
    }

    int integer(String name, int fallback) {
        Object value = options.get(name);
        return value == null ? fallback : ((Number) value).intValue();
    }

    String text(String name) {
        return (String) options.get(name);
    }

    @SuppressWarnings("unchecked")
    List<Number> numbers(String name) {
        return (List<Number>) options.get(name);
    }
}
