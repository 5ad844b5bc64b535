package dev.storefront.crm.workflows;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.events.EntryEvent;
import dev.storefront.crm.api.events.EntryListener;
import dev.storefront.crm.api.events.ImportFinished;
import dev.storefront.crm.api.events.ImportListener;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * Turns events into run records. Entry events (created, updated, deleted) and finished imports arrive
 * here one by one; segment moves and date triggers are found by {@link #scan} over a whole table,
 * one INSERT ... SELECT per workflow, which also catches up whatever came due while the server was
 * down. Every run has a key (workflow, triggering entry, event) stored unique, so an event starts
 * at most one run, however often it is seen.
 */
@Extension
public class Triggers implements EntryListener, ImportListener {

    /** Entries a workflow step just wrote, by {@code object:id}, so the event of that write knows its origin. */
    private static final Map<String, Origin> OWN_WRITES = new ConcurrentHashMap<>();
    /** When each workflow's trigger last looked at an event, for workflowHealth. */
    static final Map<String, OffsetDateTime> LAST_EVALUATED = new ConcurrentHashMap<>();
    /** Why a workflow's scanned trigger could not be evaluated on the last pass, for workflowHealth. */
    static final Map<String, String> TRIGGER_ERRORS = new ConcurrentHashMap<>();
    /** Past this depth no workflow is started by another workflow's write (a loop through several workflows). */
    private static final int MAX_CHAIN = 10;

    record Origin(String workflow, int depth) {
    }

    static void wroteFrom(String object, long id, String workflow, int depth) {
        OWN_WRITES.put(object + ":" + id, new Origin(workflow, depth));
    }

    static final List<String> RUN_FIELDS = List.of("run_key", "workflow", "entry_object", "entry_id", "trigger_event",
            "state", "next_step", "due_at", "attempts", "depth", "started_at");

    @Override
    public void onEntryEvent(EntryEvent event, PluginContext context) {
        if (event.object().startsWith("workflow_")) {
            return;
        }
        Origin origin = OWN_WRITES.remove(event.object() + ":" + event.id());
        String type = event.type().name().toLowerCase(java.util.Locale.ROOT);
        for (Definitions.Stored stored : Definitions.enabled(context)) {
            Workflow workflow = stored.workflow();
            Workflow.Trigger trigger = workflow.trigger();
            if (!trigger.on().equals(type) || !trigger.object().equals(event.object())) {
                continue;
            }
            LAST_EVALUATED.put(workflow.name(), now());
            int depth = origin == null ? 0 : origin.depth() + 1;
            boolean ownLoop = origin != null && origin.workflow().equals(workflow.name())
                    && origin.depth() >= context.config("loop-depth").map(Integer::parseInt).orElse(0);
            if (ownLoop || depth > MAX_CHAIN || !matches(event, trigger, context.crm())) {
                continue;
            }
            Map<String, Object> values = event.after() != null ? event.after() : event.before();
            Long entry = workflow.target() == null ? Long.valueOf(event.id()) : Values.id(values.get(workflow.target()));
            if (entry == null) {
                continue;
            }
            String suffix = event.type() == EntryEvent.Type.UPDATED ? ":" + event.after().get("updated_at") : "";
            start(context.crm(), workflow, entryObject(workflow, event.object()),
                    entry, event.object() + ":" + event.id() + ":" + type + suffix, depth);
        }
    }

    @Override
    public void onImportFinished(ImportFinished event, PluginContext context) {
        for (Definitions.Stored stored : Definitions.enabled(context)) {
            Workflow workflow = stored.workflow();
            if (workflow.trigger().on().equals("import_finished") && workflow.trigger().object().equals(event.object())) {
                LAST_EVALUATED.put(workflow.name(), now());
                start(context.crm(), workflow, event.object(), null, "import:" + event.job(), 0);
            }
        }
    }

    private static boolean matches(EntryEvent event, Workflow.Trigger trigger, CrmContext crm) {
        if (event.type() == EntryEvent.Type.UPDATED && trigger.field() != null) {
            Object before = event.before().get(trigger.field());
            Object after = event.after().get(trigger.field());
            if (Values.same(before, after) || trigger.from() != null && !Values.same(before, trigger.from())
                    || trigger.to() != null && !Values.same(after, trigger.to())) {
                return false;
            }
        }
        return trigger.where() == null || holds(crm, event.object(), event.id(), trigger.where());
    }

    /** The object the run acts on: the triggering one, or the one its target relation points at. */
    static String entryObject(Workflow workflow, String triggerObject) {
        return workflow.target() == null ? triggerObject : relatedObject(workflow.target());
    }

    /** Relation fields name the object they point at in the singular: {@code customer} → {@code customers}. */
    static String relatedObject(String field) {
        return field.endsWith("y") ? field.substring(0, field.length() - 1) + "ies" : field + "s";
    }

    private static void start(CrmContext crm, Workflow workflow, String entryObject, Long entry, String event, int depth) {
        String key = workflow.name() + ":" + event;
        if (!crm.sql("SELECT 1 FROM \"" + WorkflowSchema.RUNS + "\" WHERE \"run_key\" = ?", key).isEmpty()) {
            return;
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_key", key);
        run.put("workflow", workflow.name());
        run.put("entry_object", entryObject);
        run.put("entry_id", entry);
        run.put("trigger_event", event);
        run.put("state", Runs.PENDING);
        run.put("next_step", 0L);
        run.put("due_at", now());
        run.put("attempts", 0L);
        run.put("depth", (long) depth);
        run.put("started_at", now());
        crm.create(WorkflowSchema.RUNS, run);
    }

    /**
     * Starts the runs a scanned trigger owes, in one INSERT ... SELECT: every segment move or date
     * moment since the workflow was enabled that has no run yet. Returns how many started.
     */
    static long scan(CrmContext crm, Definitions.Stored stored, Duration dayLength) {
        Select select = candidates(stored, dayLength, now());
        return crm.createFromQuery(WorkflowSchema.RUNS, RUN_FIELDS, select.sql(), select.parameters().toArray());
    }

    /** The rows {@link #scan} would insert (the same SELECT), for the dry run. */
    static Select candidates(Definitions.Stored stored, Duration dayLength, OffsetDateTime now) {
        Workflow workflow = stored.workflow();
        Workflow.Trigger trigger = workflow.trigger();
        List<Object> parameters = new ArrayList<>();
        String keyPrefix = workflow.name() + ":" + trigger.object() + ":";
        String entryColumn = workflow.target() == null ? "t.\"id\"" : "t.\"" + workflow.target() + "_id\"";
        String entryObject = entryObject(workflow, trigger.object());
        StringBuilder sql = new StringBuilder("SELECT ?::VARCHAR || t.\"id\" AS run_key, ?::VARCHAR AS workflow, ?::VARCHAR AS entry_object, ")
                .append(entryColumn).append(" AS entry_id, ?::VARCHAR || t.\"id\" AS trigger_event, ?::VARCHAR AS state, 0 AS next_step,")
                .append(" ?::TIMESTAMPTZ AS due_at, 0 AS attempts, 0 AS depth, ?::TIMESTAMPTZ AS started_at FROM \"")
                .append(trigger.object()).append("\" t WHERE ").append(entryColumn).append(" IS NOT NULL");
        parameters.addAll(List.of(keyPrefix, workflow.name(), entryObject, trigger.object() + ":", Runs.PENDING, now, now));
        OffsetDateTime since = stored.enabledAt() == null ? now : stored.enabledAt();
        if (trigger.on().equals("segment_changed")) {
            if (trigger.to() != null) {
                sql.append(" AND t.\"to_segment\" = ?");
                parameters.add(String.valueOf(trigger.to()));
            }
            if (trigger.from() != null) {
                sql.append(" AND t.\"from_segment\" = ?");
                parameters.add(String.valueOf(trigger.from()));
            }
            sql.append(" AND t.\"changed_at\" >= ?::TIMESTAMPTZ");
            parameters.add(since);
        } else {
            String moment = "t.\"" + trigger.field() + "\" + to_seconds(?::BIGINT)";
            long offset = trigger.daysAfter() * dayLength.toSeconds();
            sql.append(" AND ").append(moment).append(" <= ?::TIMESTAMPTZ AND ").append(moment).append(" >= ?::TIMESTAMPTZ");
            parameters.addAll(List.of(offset, now, offset, since));
        }
        sql.append(" AND NOT EXISTS (SELECT 1 FROM \"").append(WorkflowSchema.RUNS).append("\" r WHERE r.\"run_key\" = ?::VARCHAR || t.\"id\")");
        parameters.add(keyPrefix);
        return new Select(sql.toString(), parameters);
    }

    record Select(String sql, List<Object> parameters) {
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** Whether entry {@code id} of {@code object} matches a {@code where}, asked of the host as one query. */
    static boolean holds(CrmContext crm, String object, long id, Map<String, Object> where) {
        return !crm.query(object, Filter.and(Filter.compare("id", Operator.EQ, id), Where.parse(where)), List.of(), 1).isEmpty();
    }
}
