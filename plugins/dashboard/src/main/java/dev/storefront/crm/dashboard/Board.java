package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The board: widgets declared in YAML, each with an id, a title, a chart kind, the query that
 * answers it and that query's arguments. Read and checked whole when the plugin starts (and when the
 * model changes): every problem is reported at once, naming the widget, and a board with any
 * problem stops the plugin from starting.
 */
record Board(List<Widget> widgets) {

    /** Chart kinds and the answer type each draws. */
    static final Map<String, String> KINDS = Map.of("pie", "Series", "line", "Series", "bar", "Series",
            "table", "Table", "stat", "Stat", "heatmap", "Matrix");
    private static final Set<String> KEYS = Set.of("id", "title", "kind", "query", "arguments");

    record Widget(String id, String title, String kind, WidgetQuery query, Map<String, Object> arguments) {
    }

    static Board read(String source, Object yaml, List<WidgetQuery> queries, CrmContext crm) {
        List<String> problems = new ArrayList<>();
        List<Widget> widgets = new ArrayList<>();
        Object list = yaml instanceof Map<?, ?> root ? root.get("widgets") : null;
        if (!(list instanceof List<?> items) || items.isEmpty()) {
            throw invalid(source, List.of("it must be a map with a non-empty list 'widgets'"));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "widget " + (i + 1);
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                problems.add(where + ": must be a map with id, title, kind, query and optional arguments");
                continue;
            }
            Object id = item.get("id");
            if (id instanceof String text && text.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                where += " (" + text + ")";
                if (!ids.add(text)) {
                    problems.add(where + ": id '" + text + "' is used twice");
                }
            } else {
                problems.add(where + ": id must be lower-case words joined by dashes, such as revenue-trend, not " + id);
            }
            for (Object key : item.keySet()) {
                if (!KEYS.contains(key)) {
                    problems.add(where + ": '" + key + "' is not known; a widget has " + String.join(", ", KEYS.stream().sorted().toList()));
                }
            }
            Object title = item.get("title");
            if (!(title instanceof String text) || text.isBlank()) {
                problems.add(where + ": title is missing");
            }
            Object query = item.get("query");
            WidgetQuery found = queries.stream().filter(q -> q.name().equals(query)).findFirst().orElse(null);
            if (found == null) {
                problems.add(where + ": query '" + query + "' is not known; queries: "
                        + String.join(", ", queries.stream().map(WidgetQuery::name).toList()));
            }
            Object kind = item.get("kind");
            String drawn = kind == null ? null : KINDS.get(kind.toString().toLowerCase(Locale.ROOT));
            if (drawn == null) {
                problems.add(where + ": kind must be one of pie, line, bar, table, stat, heatmap, not " + kind);
            } else if (found != null && !drawn.equals(found.resultType())) {
                problems.add(where + ": a " + kind + " chart cannot draw " + found.name() + ", which answers a "
                        + found.resultType() + "; use " + kindsFor(found.resultType()));
            }
            Object arguments = item.get("arguments");
            Map<String, Object> args = new LinkedHashMap<>();
            if (arguments instanceof Map<?, ?> map) {
                map.forEach((k, v) -> args.put(String.valueOf(k), v));
            } else if (arguments != null) {
                problems.add(where + ": arguments must be a map such as {granularity: MONTH}");
            }
            if (found != null) {
                for (String problem : found.problems(args, crm)) {
                    problems.add(where + ": " + problem);
                }
            }
            if (found != null && drawn != null && title instanceof String text) {
                widgets.add(new Widget((String) id, text, kind.toString().toLowerCase(Locale.ROOT), found, args));
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(source, problems);
        }
        return new Board(List.copyOf(widgets));
    }

    private static String kindsFor(String resultType) {
        return String.join(" or ", KINDS.entrySet().stream().filter(e -> e.getValue().equals(resultType))
                .map(Map.Entry::getKey).sorted().toList());
    }

    private static PluginException invalid(String source, List<String> problems) {
        return new PluginException("board.invalid", "The dashboard board " + source + " is not valid: " + String.join("; ", problems));
    }
}
