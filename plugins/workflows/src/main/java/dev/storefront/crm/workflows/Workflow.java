package dev.storefront.crm.workflows;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workflow as its YAML says it (see the README, "Workflows"): a trigger, the entry the run acts on,
 * an optional stop condition and the steps. Parsing checks everything a run would trip on later, so
 * a bad definition is refused when it is saved, with the key and the problem.
 *
 * @param target   relation field from the triggering entry to the entry the run acts on; null: the triggering entry
 * @param stopWhen a {@code where} on the run's entry; the run stops (before its next step) once the entry matches
 * @param settings keys the workflow needs in {@code crm.plugins.workflows.<name>.<key>} before it can be enabled
 */
record Workflow(String name, String description, List<String> settings, Trigger trigger, String target,
                Map<String, Object> stopWhen, List<Step> steps, String yaml) {

    static final Set<String> ACTIONS = Set.of("email", "webhook", "set", "create", "wait");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /**
     * @param on        created, updated, deleted, segment_changed, date, import_finished or cron
     * @param object    the object whose entries trigger; cron: the entries each firing starts a run for (null: one run)
     * @param where     a condition on the entry's new values (created, updated), or on its values just before it
     *                  was deleted (deleted), in GraphQL's {@code where} form
     * @param field     updated: only when this field changed; date: the date field the trigger counts from
     * @param from      updated / segment_changed: the value before (null: any)
     * @param to        updated / segment_changed: the value after (null: any)
     * @param daysAfter date: how many days after the field's moment the run starts
     * @param cron      cron: the schedule (Spring syntax, seconds first) in the store's time zone
     */
    record Trigger(String on, String object, Map<String, Object> where, String field, Object from, Object to, long daysAfter,
                   String cron) {

        /** Triggers found by the worker scanning a whole table (set-based), not by entry events. */
        boolean scanned() {
            return on.equals("segment_changed") || on.equals("date");
        }

        /** Triggers heard inside the write of an entry, recorded there and started by the worker. */
        boolean onEntries() {
            return on.equals("created") || on.equals("updated") || on.equals("deleted");
        }
    }

    record Step(String action, Map<String, Object> spec) {
    }

    static Workflow parse(String yaml, PluginContext context) {
        if (yaml == null || yaml.isBlank()) {
            throw refuse("the definition is empty");
        }
        Object parsed;
        try {
            parsed = context.yaml().parse(yaml);
        } catch (RuntimeException e) {
            throw refuse("the YAML cannot be read: " + e.getMessage());
        }
        Map<String, Object> root = map(parsed, "the definition");
        String name = text(root, "name", "the definition");
        if (!NAME.matcher(name).matches()) {
            throw refuse("name '" + name + "' must be lower case letters, digits and dashes, starting with a letter");
        }
        String where = "workflow '" + name + "'";
        Trigger trigger = trigger(map(root.get("trigger"), where + ": trigger"), where, context);
        List<Step> steps = new ArrayList<>();
        Object rawSteps = root.get("steps");
        if (!(rawSteps instanceof List<?> list) || list.isEmpty()) {
            throw refuse(where + ": steps must be a list of at least one step");
        }
        for (Object raw : list) {
            Map<String, Object> step = map(raw, where + ": step " + (steps.size() + 1));
            if (step.size() != 1 || !ACTIONS.contains(step.keySet().iterator().next())) {
                throw refuse(where + ": step " + (steps.size() + 1) + " must be exactly one of " + String.join(", ", ACTIONS.stream().sorted().toList()));
            }
            String action = step.keySet().iterator().next();
            steps.add(step(action, map(step.get(action), where + ": step " + (steps.size() + 1) + " (" + action + ")"), where, steps.size() + 1));
        }
        List<String> settings = new ArrayList<>();
        if (root.get("settings") instanceof List<?> keys) {
            keys.forEach(k -> settings.add(String.valueOf(k)));
        }
        Map<String, Object> stopWhen = root.get("stop_when") == null ? null : map(root.get("stop_when"), where + ": stop_when");
        String target = root.get("target") == null ? (trigger.on().equals("segment_changed") ? "customer" : null) : String.valueOf(root.get("target"));
        return new Workflow(name, root.get("description") == null ? "" : String.valueOf(root.get("description")),
                List.copyOf(settings), trigger, target, stopWhen, List.copyOf(steps), yaml);
    }

    private static Trigger trigger(Map<String, Object> spec, String where, PluginContext context) {
        String on = text(spec, "on", where + ": trigger");
        switch (on) {
            case "created", "updated", "deleted" -> {
                String object = text(spec, "object", where + ": trigger");
                return new Trigger(on, object, optionalMap(spec.get("where"), where + ": trigger.where"),
                        (String) spec.get("field"), spec.get("from"), spec.get("to"), 0, null);
            }
            case "segment_changed" -> {
                if (spec.get("to") == null && spec.get("from") == null) {
                    throw refuse(where + ": trigger segment_changed needs 'to' or 'from' (the segment's name)");
                }
                return new Trigger(on, "segment_changes", null, null, spec.get("from"), spec.get("to"), 0, null);
            }
            case "date" -> {
                Object days = spec.get("days_after");
                if (!(days instanceof Number n) || n.longValue() < 0) {
                    throw refuse(where + ": trigger.days_after must be a whole number of days, 0 or more");
                }
                return new Trigger(on, text(spec, "object", where + ": trigger"), null, text(spec, "field", where + ": trigger"),
                        null, null, n.longValue(), null);
            }
            case "import_finished" -> {
                return new Trigger(on, text(spec, "object", where + ": trigger"), null, null, null, null, 0, null);
            }
            case "cron" -> {
                String cron = text(spec, "cron", where + ": trigger");
                try {
                    context.nextCronFiring(cron, OffsetDateTime.now(ZoneOffset.UTC));
                } catch (PluginException e) {
                    throw refuse(where + ": trigger.cron: " + e.getMessage());
                }
                if (spec.get("where") != null && spec.get("object") == null) {
                    throw refuse(where + ": trigger.where needs trigger.object (the entries a firing starts a run for)");
                }
                return new Trigger(on, spec.get("object") == null ? null : String.valueOf(spec.get("object")),
                        optionalMap(spec.get("where"), where + ": trigger.where"), null, null, null, 0, cron);
            }
            default -> throw refuse(where + ": trigger.on '" + on
                    + "' is not one of created, updated, deleted, segment_changed, date, import_finished, cron");
        }
    }

    private static Step step(String action, Map<String, Object> spec, String where, int index) {
        String at = where + ": step " + index + " (" + action + ")";
        switch (action) {
            case "email" -> {
                text(spec, "to", at);
                text(spec, "subject", at);
                text(spec, "body", at);
            }
            case "webhook" -> text(spec, "url", at);
            case "create" -> {
                text(spec, "object", at);
                map(spec.get("values"), at + ": values");
            }
            case "wait" -> {
                if (!(spec.get("days") instanceof Number n) || n.doubleValue() <= 0) {
                    throw refuse(at + ": days must be a number of days greater than 0");
                }
            }
            default -> {
                if (spec.isEmpty()) {
                    throw refuse(at + ": name at least one field to set");
                }
            }
        }
        return new Step(action, spec);
    }

    private static String text(Map<String, Object> spec, String key, String where) {
        Object value = spec.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw refuse(where + ": '" + key + "' is missing");
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> optionalMap(Object value, String where) {
        return value == null ? null : map(value, where);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw refuse(where + " must be a mapping of keys to values");
        }
        return new LinkedHashMap<>((Map<String, Object>) map);
    }

    static PluginException refuse(String problem) {
        return new PluginException("workflow.invalid", "The workflow cannot be used: " + problem);
    }
}
