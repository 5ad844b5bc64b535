package dev.storefront.crm.workflows;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.events.EntryEvent;
import dev.storefront.crm.api.events.EntryListener;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Selection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * Turns events into run records. An entry event (created, updated, deleted) is recorded by
 * {@link #beforeCommit} in the transaction of the write that raised it, for each enabled workflow it
 * may trigger; the worker then turns the recorded events into runs ({@link #collect}), so an event
 * committed just before the server died still starts its run after the restart. Segment moves and
 * date triggers are found by {@link #scan} over a whole table, one INSERT ... SELECT per workflow, and
 * cron schedules by {@link #fire}; both also catch up on whatever came due while the server was down.
 * Every run has a key (workflow, triggering entry, event) stored unique, so an event starts at most
 * one run, however often it is seen.
 */
@Extension
public class Triggers implements EntryListener {

    /** The workflow whose step is writing on this thread, so the events of that write know their origin. */
    private static final ThreadLocal<Origin> ORIGIN = new ThreadLocal<>();
    /** When each workflow's trigger last looked at an event, for workflowHealth. */
    static final Map<String, OffsetDateTime> LAST_EVALUATED = new ConcurrentHashMap<>();
    /** Why a workflow's scanned trigger could not be evaluated on the last pass, for workflowHealth. */
    static final Map<String, String> TRIGGER_ERRORS = new ConcurrentHashMap<>();
    /** Past this depth no workflow is started by another workflow's write (a loop through several workflows). */
    private static final int MAX_CHAIN = 10;
    /** Recorded events turned into runs per statement. */
    private static final int BATCH = 500;

    record Origin(String workflow, int depth) {
    }

    /** Runs {@code writes} (a step's writes) as workflow {@code workflow} at chain depth {@code depth}. */
    static <T> T writingAs(String workflow, int depth, Supplier<T> writes) {
        ORIGIN.set(new Origin(workflow, depth));
        try {
            return writes.get();
        } finally {
            ORIGIN.remove();
        }
    }

    static final List<String> RUN_FIELDS = List.of("run_key", "workflow", "entry_object", "entry_id", "trigger_event",
            "state", "next_step", "due_at", "attempts", "depth", "started_at");

    /**
     * Records the event for each enabled workflow whose trigger it may fire, in the write's own
     * transaction. The checks that need no query (the kind of event, from / to, the loop guard) are made
     * here; the {@code where}, a query, is left to {@link #collect}, so a write is not held up by it,
     * except for a deletion, whose entry only exists now.
     */
    @Override
    public void beforeCommit(EntryEvent event, PluginContext context) {
        if (event.object().startsWith("workflow_")) {
            return;
        }
        Origin origin = ORIGIN.get();
        String type = event.type().name().toLowerCase(java.util.Locale.ROOT);
        for (Definitions.Stored stored : Definitions.enabled(context)) {
            Workflow workflow = stored.workflow();
            Workflow.Trigger trigger = workflow.trigger();
            if (!trigger.on().equals(type) || !trigger.object().equals(event.object())) {
                continue;
            }
            int depth = origin == null ? 0 : origin.depth() + 1;
            boolean ownLoop = origin != null && origin.workflow().equals(workflow.name())
                    && origin.depth() >= context.config("loop-depth").map(Integer::parseInt).orElse(0);
            if (ownLoop || depth > MAX_CHAIN || !changedAsAsked(event, trigger) || !deletedAsAsked(event, trigger, context.crm())) {
                continue;
            }
            Map<String, Object> values = event.after() != null ? event.after() : event.before();
            Long entry = workflow.target() == null ? Long.valueOf(event.id()) : Values.id(values.get(workflow.target()));
            if (entry == null) {
                continue;
            }
            String suffix = event.type() == EntryEvent.Type.UPDATED ? ":" + event.after().get("updated_at") : "";
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("workflow", workflow.name());
            recorded.put("source_object", event.object());
            recorded.put("source_id", event.id());
            recorded.put("trigger_event", event.object() + ":" + event.id() + ":" + type + suffix);
            recorded.put("entry_object", entryObject(workflow, event.object()));
            recorded.put("entry_id", entry);
            recorded.put("depth", (long) depth);
            recorded.put("at", now());
            context.crm().create(WorkflowSchema.EVENTS, recorded);
        }
    }

    /**
     * Starts the runs a workflow's recorded entry events owe, oldest first: the events whose entry
     * matches the trigger's {@code where} now (one query per batch) each start a run, in one INSERT ...
     * SELECT that commits with the workflow's moved event cursor. Returns how many runs started.
     */
    static long collect(PluginContext context, Definitions.Stored stored) {
        CrmContext crm = context.crm();
        Workflow workflow = stored.workflow();
        long cursor = stored.eventCursor();
        long started = 0;
        List<Map<String, Object>> events;
        do {
            events = crm.sql("SELECT \"id\", \"source_id\" FROM \"" + WorkflowSchema.EVENTS + "\" WHERE \"workflow\" = ? AND \"id\" > ?"
                    + " ORDER BY \"id\" LIMIT " + BATCH, workflow.name(), cursor);
            if (events.isEmpty()) {
                break;
            }
            List<Long> starting = starting(crm, workflow, events);
            long last = ((Number) events.get(events.size() - 1).get("id")).longValue();
            started += crm.inTransaction(tx -> {
                tx.update(WorkflowSchema.DEFINITIONS, stored.id(), Map.of("event_cursor", last));
                return starting.isEmpty() ? 0L : tx.createFromQuery(WorkflowSchema.RUNS, RUN_FIELDS, runsOf(starting),
                        runParameters(workflow, stored, starting).toArray());
            });
            cursor = last;
            LAST_EVALUATED.put(workflow.name(), now());
        } while (events.size() == BATCH);
        return started;
    }

    /**
     * The ids of the recorded events that start a run: those at or after enabling whose entry matches the
     * trigger's where (a deletion's was checked when it was recorded).
     */
    private static List<Long> starting(CrmContext crm, Workflow workflow, List<Map<String, Object>> events) {
        Set<Long> matching = null;
        Workflow.Trigger trigger = workflow.trigger();
        if (trigger.where() != null && !trigger.on().equals("deleted")) {
            List<Object> sources = events.stream().map(e -> e.get("source_id")).distinct().toList();
            matching = new HashSet<>();
            for (Map<String, Object> entry : crm.query(trigger.object(), Filter.and(Filter.compare("id", Operator.IN, sources),
                    Where.parse(trigger.where())), List.of(), sources.size())) {
                matching.add(((Number) entry.get("id")).longValue());
            }
        }
        List<Long> starting = new ArrayList<>();
        for (Map<String, Object> event : events) {
            if (matching == null || matching.contains(((Number) event.get("source_id")).longValue())) {
                starting.add(((Number) event.get("id")).longValue());
            }
        }
        return starting;
    }

    /** A run per recorded event named, unless one with its key exists (each key once, should an event be recorded twice). */
    private static String runsOf(List<Long> events) {
        String placeholders = String.join(", ", java.util.Collections.nCopies(events.size(), "?"));
        return "SELECT ?::VARCHAR || e.\"trigger_event\" AS run_key, ?::VARCHAR AS workflow, e.\"entry_object\" AS entry_object,"
                + " e.\"entry_id\" AS entry_id, e.\"trigger_event\" AS trigger_event, ?::VARCHAR AS state, 0 AS next_step,"
                + " ?::TIMESTAMPTZ AS due_at, 0 AS attempts, e.\"depth\" AS depth, ?::TIMESTAMPTZ AS started_at"
                + " FROM \"" + WorkflowSchema.EVENTS + "\" e WHERE e.\"id\" IN (" + placeholders + ") AND e.\"at\" >= ?::TIMESTAMPTZ"
                + " AND NOT EXISTS (SELECT 1 FROM \"" + WorkflowSchema.RUNS + "\" r WHERE r.\"run_key\" = ?::VARCHAR || e.\"trigger_event\")"
                + " QUALIFY row_number() OVER (PARTITION BY e.\"trigger_event\" ORDER BY e.\"id\") = 1";
    }

    private static List<Object> runParameters(Workflow workflow, Definitions.Stored stored, List<Long> events) {
        OffsetDateTime now = now();
        List<Object> parameters = new ArrayList<>(List.of(workflow.name() + ":", workflow.name(), Runs.PENDING, now, now));
        parameters.addAll(events);
        parameters.add(stored.enabledAt() == null ? now : stored.enabledAt());
        parameters.add(workflow.name() + ":");
        return parameters;
    }

    /**
     * Starts a run for each import of the trigger's object that finished since the workflow was enabled
     * and has no run yet, in one INSERT ... SELECT. The imports come from the host's durable job records,
     * not from the in-memory {@code ImportFinished}, so an import that ended just before the server
     * stopped still starts its run on the next pass. Returns how many runs started.
     */
    static long imports(CrmContext crm, Definitions.Stored stored) {
        Workflow workflow = stored.workflow();
        String keyPrefix = workflow.name() + ":import:";
        // Read first: the worker passes every second, and most passes find no import without its run, so need no write.
        List<String> finished = crm.importsFinished(workflow.trigger().object(), stored.enabledAt());
        Set<String> started = finished.isEmpty() ? Set.of() : crm.sql("SELECT \"run_key\" FROM \"" + WorkflowSchema.RUNS
                + "\" WHERE \"workflow\" = ? AND starts_with(\"run_key\", ?)", workflow.name(), keyPrefix).stream()
                .map(run -> (String) run.get("run_key")).collect(java.util.stream.Collectors.toSet());
        List<String> jobs = finished.stream().filter(job -> !started.contains(keyPrefix + job)).toList();
        if (jobs.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = now();
        List<Object> parameters = new ArrayList<>(List.of(keyPrefix, workflow.name(), workflow.trigger().object(), "import:",
                Runs.PENDING, now, now));
        parameters.addAll(jobs);
        parameters.add(keyPrefix);
        String values = String.join(", ", java.util.Collections.nCopies(jobs.size(), "(?)"));
        return crm.createFromQuery(WorkflowSchema.RUNS, RUN_FIELDS, "SELECT ?::VARCHAR || j.job AS run_key, ?::VARCHAR AS workflow,"
                + " ?::VARCHAR AS entry_object, NULL::BIGINT AS entry_id, ?::VARCHAR || j.job AS trigger_event, ?::VARCHAR AS state,"
                + " 0 AS next_step, ?::TIMESTAMPTZ AS due_at, 0 AS attempts, 0 AS depth, ?::TIMESTAMPTZ AS started_at"
                + " FROM (VALUES " + values + ") j(job) WHERE NOT EXISTS (SELECT 1 FROM \"" + WorkflowSchema.RUNS
                + "\" r WHERE r.\"run_key\" = ?::VARCHAR || j.job)", parameters.toArray());
    }

    /** Only an enabled workflow triggered by updates of {@code object} compares a field's value before and after. */
    @Override
    public boolean readsBefore(String object, PluginContext context) {
        return Definitions.enabled(context).stream().map(stored -> stored.workflow().trigger())
                .anyMatch(trigger -> trigger.on().equals("updated") && object.equals(trigger.object()));
    }

    /**
     * Only entries of an object that an enabled workflow's created, updated or deleted trigger names start
     * runs one by one; segment moves and dates are found by {@link #scan} over the whole table.
     */
    @Override
    public boolean hearsEachEntry(String object, PluginContext context) {
        return Definitions.enabled(context).stream().map(stored -> stored.workflow().trigger())
                .anyMatch(trigger -> trigger.onEntries() && object.equals(trigger.object()));
    }

    /** An update names the field of the trigger, and it changed from and to what the trigger asks (no query needed). */
    private static boolean changedAsAsked(EntryEvent event, Workflow.Trigger trigger) {
        if (event.type() != EntryEvent.Type.UPDATED || trigger.field() == null) {
            return true;
        }
        Object before = event.before().get(trigger.field());
        Object after = event.after().get(trigger.field());
        return !Values.same(before, after) && (trigger.from() == null || Values.same(before, trigger.from()))
                && (trigger.to() == null || Values.same(after, trigger.to()));
    }

    /**
     * A deletion matches the trigger's {@code where} on the entry as it was: the host tells of a deletion
     * before the entry is removed, so this one query still finds it. The only {@code where} checked while
     * recording, since after the commit there is no entry left to check.
     */
    private static boolean deletedAsAsked(EntryEvent event, Workflow.Trigger trigger, CrmContext crm) {
        return event.type() != EntryEvent.Type.DELETED || trigger.where() == null || holds(crm, event.object(), event.id(), trigger.where());
    }

    /** The object the run acts on: the triggering one, or the one its target relation points at. */
    static String entryObject(Workflow workflow, String triggerObject) {
        return workflow.target() == null ? triggerObject : relatedObject(workflow.target());
    }

    /** Relation fields name the object they point at in the singular: {@code customer} → {@code customers}. */
    static String relatedObject(String field) {
        return field.endsWith("y") ? field.substring(0, field.length() - 1) + "ies" : field + "s";
    }

    /** Starts one run unless its key exists; returns whether it did. */
    private static boolean start(CrmContext crm, Workflow workflow, String entryObject, Long entry, String event, int depth) {
        String key = workflow.name() + ":" + event;
        if (!crm.sql("SELECT 1 FROM \"" + WorkflowSchema.RUNS + "\" WHERE \"run_key\" = ?", key).isEmpty()) {
            return false;
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
        return true;
    }

    /**
     * Starts the runs a scanned trigger owes, in one INSERT ... SELECT: every segment move or date
     * moment since the workflow was enabled that has no run yet. Returns how many started.
     */
    static long scan(CrmContext crm, Definitions.Stored stored, Duration dayLength) {
        Select select = candidates(crm, stored, dayLength, now(), null);
        return crm.createFromQuery(WorkflowSchema.RUNS, RUN_FIELDS, select.sql(), select.parameters().toArray());
    }

    /**
     * Honours a cron schedule: when it fired since the workflow was enabled or last honoured, starts
     * the firing's runs (one per entry matching the trigger, or one run without an entry) and records
     * the moment, in one transaction. However many firings the server missed while it was down, one
     * firing (the first missed) is made up, not one per missed tick. Returns how many runs started.
     */
    static long fire(PluginContext context, Definitions.Stored stored) {
        Workflow workflow = stored.workflow();
        OffsetDateTime now = now();
        OffsetDateTime since = latest(stored.enabledAt(), stored.lastFiredAt());
        Optional<OffsetDateTime> firing = since == null ? Optional.empty()
                : context.nextCronFiring(workflow.trigger().cron(), since).filter(moment -> !moment.isAfter(now));
        if (firing.isEmpty()) {
            return 0;
        }
        CrmContext crm = context.crm();
        return crm.inTransaction(tx -> {
            tx.update(WorkflowSchema.DEFINITIONS, stored.id(), Map.of("last_fired_at", now));
            if (workflow.trigger().object() == null) {
                return start(tx, workflow, "", null, "cron:" + firing.get(), 0) ? 1L : 0L;
            }
            Select select = candidates(tx, stored, Duration.ZERO, now, firing.get());
            return tx.createFromQuery(WorkflowSchema.RUNS, RUN_FIELDS, select.sql(), select.parameters().toArray());
        });
    }

    private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

    /**
     * The rows {@link #scan} (or {@link #fire}, for the cron {@code firing}) would insert, the same SELECT
     * for the dry run. A run's event is {@code <object>:<id>}, and {@code <object>:<id>:cron:<firing>} for a cron.
     */
    static Select candidates(CrmContext crm, Definitions.Stored stored, Duration dayLength, OffsetDateTime now, OffsetDateTime firing) {
        Workflow workflow = stored.workflow();
        Workflow.Trigger trigger = workflow.trigger();
        List<Object> parameters = new ArrayList<>();
        String keyPrefix = workflow.name() + ":" + trigger.object() + ":";
        String suffix = firing == null ? "" : ":cron:" + firing;
        String entryColumn = workflow.target() == null ? "t.\"id\"" : "t.\"" + workflow.target() + "_id\"";
        String entryObject = entryObject(workflow, trigger.object());
        StringBuilder sql = new StringBuilder("SELECT ?::VARCHAR || t.\"id\" || ?::VARCHAR AS run_key, ?::VARCHAR AS workflow,")
                .append(" ?::VARCHAR AS entry_object, ").append(entryColumn)
                .append(" AS entry_id, ?::VARCHAR || t.\"id\" || ?::VARCHAR AS trigger_event, ?::VARCHAR AS state, 0 AS next_step,")
                .append(" ?::TIMESTAMPTZ AS due_at, 0 AS attempts, 0 AS depth, ?::TIMESTAMPTZ AS started_at FROM \"")
                .append(trigger.object()).append("\" t WHERE ").append(entryColumn).append(" IS NOT NULL");
        parameters.addAll(List.of(keyPrefix, suffix, workflow.name(), entryObject, trigger.object() + ":", suffix, Runs.PENDING, now, now));
        OffsetDateTime since = stored.enabledAt() == null ? now : stored.enabledAt();
        if (trigger.on().equals("cron")) {
            Selection matching = crm.matching(trigger.object(), trigger.where() == null ? Filter.all() : Where.parse(trigger.where()));
            sql.append(" AND t.\"id\" IN (").append(matching.sql()).append(")");
            parameters.addAll(matching.parameters());
        } else if (trigger.on().equals("segment_changed")) {
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
        sql.append(" AND NOT EXISTS (SELECT 1 FROM \"").append(WorkflowSchema.RUNS)
                .append("\" r WHERE r.\"run_key\" = ?::VARCHAR || t.\"id\" || ?::VARCHAR)");
        parameters.addAll(List.of(keyPrefix, suffix));
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
