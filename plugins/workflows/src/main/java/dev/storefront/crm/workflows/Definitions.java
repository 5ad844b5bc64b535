package dev.storefront.crm.workflows;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workflows stored in {@code workflow_definitions}: the five shipped ones are added, disabled, the
 * first time the plugin runs; saving checks the YAML, and enabling checks the workflow's settings.
 * The enabled ones are kept in memory between changes, since every entry event asks for them.
 */
final class Definitions {

    static final List<String> SHIPPED = List.of("new-customer-welcome", "vip-recognition", "at-risk-winback",
            "return-pattern-alert", "review-request");

    /**
     * A stored workflow: its definition and when it was enabled (events before that trigger nothing).
     *
     * @param eventCursor the id of the last recorded entry event the worker turned into runs (0: none yet)
     * @param lastFiredAt cron: when the schedule was last honoured (null: not since it was enabled)
     */
    record Stored(long id, Workflow workflow, boolean enabled, OffsetDateTime enabledAt, OffsetDateTime lastEvaluatedAt,
                  long eventCursor, OffsetDateTime lastFiredAt) {
    }

    private static volatile List<Stored> cached;
    /**
     * Held from a change's write (or a reload's read) until its list is published, so a reload that read
     * the table before a change cannot publish its older list after the change's own.
     */
    private static final Object CHANGES = new Object();

    private Definitions() {
    }

    static List<Stored> all(PluginContext context) {
        List<Stored> current = cached;
        return current != null ? current : reload(context);
    }

    static List<Stored> enabled(PluginContext context) {
        return all(context).stream().filter(Stored::enabled).toList();
    }

    static Stored named(PluginContext context, String name) {
        return all(context).stream().filter(s -> s.workflow().name().equals(name)).findFirst()
                .orElseThrow(() -> new PluginException("workflow.unknown", "There is no workflow named '" + name + "'"));
    }

    /** Reads the definitions again (after a change, and on every worker pass). */
    static List<Stored> reload(PluginContext context) {
        synchronized (CHANGES) {
            cached = load(context);
            return cached;
        }
    }

    private static List<Stored> load(PluginContext context) {
        // The worker reloads every pass for the cursors; a definition whose text is unchanged keeps its parsed
        // workflow (parsing is a function of the text), so a pass does not parse every YAML again.
        Map<String, Workflow> parsed = new HashMap<>();
        List<Stored> previous = cached;
        if (previous != null) {
            previous.forEach(stored -> parsed.put(stored.workflow().yaml(), stored.workflow()));
        }
        CrmContext crm = context.crm();
        String select = "SELECT \"id\", \"name\", \"definition\", \"enabled\", \"enabled_at\", \"last_evaluated_at\","
                + " \"event_cursor\", \"last_fired_at\" FROM \"" + WorkflowSchema.DEFINITIONS + "\" ORDER BY \"id\"";
        List<Map<String, Object>> rows = crm.sql(select);
        if (rows.isEmpty()) {
            seed(crm);
            rows = crm.sql(select);
        }
        return rows.stream().map(row -> new Stored(((Number) row.get("id")).longValue(),
                parsed.computeIfAbsent((String) row.get("definition"), yaml -> Workflow.parse(yaml, context)),
                Boolean.TRUE.equals(row.get("enabled")),
                Values.dateTime(row.get("enabled_at")), Values.dateTime(row.get("last_evaluated_at")),
                row.get("event_cursor") == null ? 0 : ((Number) row.get("event_cursor")).longValue(),
                Values.dateTime(row.get("last_fired_at")))).toList();
    }

    /** The shipped workflows, disabled, in one transaction (a crash leaves all or none). */
    private static void seed(CrmContext crm) {
        crm.inTransaction(tx -> {
            for (String name : SHIPPED) {
                tx.upsert(WorkflowSchema.DEFINITIONS, "name", Map.of("name", name, "definition", shipped(name), "enabled", false));
            }
            return null;
        });
    }

    static String shipped(String name) {
        try (InputStream in = Definitions.class.getResourceAsStream("/workflows/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a new or changed definition; an enabled workflow stays enabled (its settings are checked again). */
    static Stored save(PluginContext context, String yaml) {
        Workflow workflow = Workflow.parse(yaml, context);
        all(context).stream().filter(s -> s.workflow().name().equals(workflow.name()) && s.enabled())
                .findFirst().ifPresent(s -> requireSettings(context, workflow));
        synchronized (CHANGES) {
            context.crm().upsert(WorkflowSchema.DEFINITIONS, "name", Map.of("name", workflow.name(), "definition", yaml));
            reload(context);
        }
        return named(context, workflow.name());
    }

    static Stored enable(PluginContext context, String name, boolean enabled) {
        Stored stored = named(context, name);
        if (enabled) {
            requireSettings(context, stored.workflow());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("enabled", enabled);
        if (enabled && !stored.enabled()) {
            values.put("enabled_at", OffsetDateTime.now(ZoneOffset.UTC));
        }
        synchronized (CHANGES) {
            context.crm().update(WorkflowSchema.DEFINITIONS, stored.id(), values);
            reload(context);
        }
        return named(context, name);
    }

    /** A workflow is configured when each setting it names is set; else it cannot be enabled. */
    private static void requireSettings(PluginContext context, Workflow workflow) {
        List<String> missing = workflow.settings().stream()
                .filter(key -> context.config(workflow.name() + "." + key).isEmpty())
                .map(key -> "crm.plugins.workflows." + workflow.name() + "." + key).toList();
        if (!missing.isEmpty()) {
            throw new PluginException("workflow.unconfigured", "Workflow '" + workflow.name()
                    + "' cannot be enabled before it is configured: set " + String.join(", ", missing));
        }
    }

    static Map<String, Object> settings(PluginContext context, Workflow workflow) {
        Map<String, Object> values = new LinkedHashMap<>();
        workflow.settings().forEach(key -> values.put(key, context.config(workflow.name() + "." + key).orElse("")));
        return values;
    }
}
