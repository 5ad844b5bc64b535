package dev.storefront.crm.workflows;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.jobs.BackgroundTask;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.pf4j.Extension;

/**
 * The outbox worker: every {@code tick} (default 1 s) it evaluates the scanned triggers, then carries
 * out the due steps of pending runs. Each step's effect and the run's move to the next step commit
 * in one transaction, so a step inside the CRM happens exactly once whatever stops the server. An
 * email is recorded (with its Message-ID) and committed before it is handed to SMTP: a crash in
 * between leaves a record in state SENDING, and the step is never sent twice on its own (the run
 * becomes UNKNOWN until the store owner resends it). A webhook is retried with exponential backoff
 * and dead-lettered after its attempts.
 */
@Extension
public class Runs implements BackgroundTask {

    static final String PENDING = "PENDING";
    static final String WAITING = "WAITING";
    static final String RETRYING = "RETRYING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String STOPPED = "STOPPED";
    static final String DEAD_LETTER = "DEAD_LETTER";
    /** An email step (and its run) cut off between SENDING and the mail server's answer: it may not have been sent. */
    static final String UNKNOWN = "UNKNOWN";
    /** An UNKNOWN email step the store owner asked to send once more. */
    static final String RESEND = "RESEND";
    /** An email step recorded before it is handed to SMTP. */
    static final String SENDING = "SENDING";
    /** States whose next step is still to be done. */
    static final List<String> OPEN = List.of(PENDING, WAITING, RETRYING);

    private static final ReentrantLock PASS = new ReentrantLock();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int BATCH = 200;

    @Override
    public String name() {
        return "workflow-worker";
    }

    @Override
    public Duration interval(PluginContext context) {
        return context.config("tick").map(Duration::parse).orElse(Duration.ofSeconds(1));
    }

    @Override
    public void run(PluginContext context) {
        if (!PASS.tryLock()) {
            return;
        }
        try {
            pass(context);
        } finally {
            PASS.unlock();
        }
    }

    private void pass(PluginContext context) {
        CrmContext crm = context.crm();
        List<Definitions.Stored> enabled = Definitions.reload(context).stream().filter(Definitions.Stored::enabled).toList();
        for (Definitions.Stored stored : enabled) {
            String name = stored.workflow().name();
            Workflow.Trigger trigger = stored.workflow().trigger();
            // One workflow's broken trigger (say, on a field since removed) must not hold up the others' steps.
            try {
                if (trigger.onEntries()) {
                    Triggers.collect(context, stored);
                } else if (trigger.scanned()) {
                    Triggers.scan(crm, stored, dayLength(context));
                    Triggers.LAST_EVALUATED.put(name, Triggers.now());
                } else if (trigger.on().equals("cron")) {
                    Triggers.fire(context, stored);
                    Triggers.LAST_EVALUATED.put(name, Triggers.now());
                } else if (trigger.on().equals("import_finished")) {
                    Triggers.imports(crm, stored);
                    Triggers.LAST_EVALUATED.put(name, Triggers.now());
                }
                Triggers.TRIGGER_ERRORS.remove(name);
            } catch (RuntimeException e) {
                Triggers.TRIGGER_ERRORS.put(name, describe(e));
            }
            OffsetDateTime evaluated = Triggers.LAST_EVALUATED.get(name);
            if (evaluated != null && !evaluated.equals(stored.lastEvaluatedAt())) {
                crm.update(WorkflowSchema.DEFINITIONS, stored.id(), Map.of("last_evaluated_at", evaluated));
            }
        }
        List<Map<String, Object>> due;
        do {
            due = crm.sql("SELECT \"id\", \"run_key\", \"workflow\", \"entry_object\", \"entry_id\", \"trigger_event\", \"state\","
                    + " \"next_step\", \"attempts\", \"code\", \"depth\", \"started_at\" FROM \"" + WorkflowSchema.RUNS + "\""
                    + " WHERE \"state\" IN (?, ?, ?) AND \"due_at\" <= ?::TIMESTAMPTZ ORDER BY \"due_at\", \"id\" LIMIT " + BATCH,
                    PENDING, WAITING, RETRYING, Triggers.now());
            for (Map<String, Object> row : due) {
                Run run = Run.of(row);
                try {
                    advance(context, run);
                } catch (RuntimeException e) {
                    finish(crm, run, FAILED, describe(e));
                }
            }
        } while (due.size() == BATCH);
    }

    /** A run as its record holds it. */
    record Run(long id, String key, String workflow, String entryObject, Long entryId, String triggerEvent,
               long nextStep, long attempts, String code, int depth, OffsetDateTime startedAt) {

        static Run of(Map<String, Object> row) {
            return new Run(((Number) row.get("id")).longValue(), (String) row.get("run_key"), (String) row.get("workflow"),
                    (String) row.get("entry_object"), row.get("entry_id") == null ? null : ((Number) row.get("entry_id")).longValue(),
                    (String) row.get("trigger_event"), ((Number) row.get("next_step")).longValue(),
                    row.get("attempts") == null ? 0 : ((Number) row.get("attempts")).longValue(), (String) row.get("code"),
                    row.get("depth") == null ? 0 : ((Number) row.get("depth")).intValue(), Values.dateTime(row.get("started_at")));
        }
    }

    /** Carries out the run's steps from its next one until it waits, retries or ends. */
    private void advance(PluginContext context, Run run) throws RuntimeException {
        CrmContext crm = context.crm();
        Workflow workflow = Definitions.named(context, run.workflow()).workflow();
        if (run.code() == null) {
            run = withCode(crm, run);
        }
        for (long step = run.nextStep(); ; step++) {
            if (step >= workflow.steps().size()) {
                finish(crm, run, SUCCEEDED, null);
                return;
            }
            Map<String, Object> entry = Map.of();
            if (run.entryId() != null) {
                Optional<Map<String, Object>> found = crm.find(run.entryObject(), run.entryId());
                if (found.isEmpty()) {
                    finish(crm, run, FAILED, "The entry " + run.entryObject() + " " + run.entryId() + " no longer exists");
                    return;
                }
                entry = found.get();
                Map<String, Object> values = values(context, workflow, run, entry);
                if (workflow.stopWhen() != null && Triggers.holds(crm, run.entryObject(), run.entryId(),
                        cast(Templates.renderAll(workflow.stopWhen(), values)))) {
                    finish(crm, run, STOPPED, null);
                    return;
                }
            }
            Workflow.Step definition = workflow.steps().get((int) step);
            Map<String, Object> values = values(context, workflow, run, entry);
            boolean goOn = switch (definition.action()) {
                case "set", "create" -> write(crm, workflow, run, step, definition, values);
                case "wait" -> waitDays(context, run, step, definition);
                case "email" -> email(context, run, step, definition, values);
                default -> webhook(context, run, step, definition, values, entry);
            };
            if (!goOn) {
                return;
            }
            run = new Run(run.id(), run.key(), run.workflow(), run.entryObject(), run.entryId(), run.triggerEvent(), step + 1, 0,
                    run.code(), run.depth(), run.startedAt());
        }
    }

    /** The names a template can use: the run's entry, the triggering entry, the run, the workflow's settings. */
    static Map<String, Object> values(PluginContext context, Workflow workflow, Run run, Map<String, Object> entry) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("entry", entry);
        values.put("trigger", triggerEntry(context.crm(), run.triggerEvent()));
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("id", run.id());
        about.put("key", run.key());
        about.put("code", run.code() == null ? "" : run.code());
        about.put("started_at", String.valueOf(run.startedAt()));
        values.put("run", about);
        values.put("workflow", workflow.name());
        values.put("settings", Definitions.settings(context, workflow));
        return values;
    }

    /** The entry named by a trigger event such as {@code orders:12:created}; empty for an import. */
    private static Map<String, Object> triggerEntry(CrmContext crm, String event) {
        String[] parts = event.split(":");
        if (parts.length < 2 || !parts[1].matches("[0-9]+")) {
            return Map.of();
        }
        return crm.find(parts[0], Long.parseLong(parts[1])).orElse(Map.of());
    }

    private Run withCode(CrmContext crm, Run run) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            code.append(CODE_LETTERS.charAt(RANDOM.nextInt(CODE_LETTERS.length())));
        }
        crm.update(WorkflowSchema.RUNS, run.id(), Map.of("code", code.toString()));
        return new Run(run.id(), run.key(), run.workflow(), run.entryObject(), run.entryId(), run.triggerEvent(), run.nextStep(),
                run.attempts(), code.toString(), run.depth(), run.startedAt());
    }

    /** Set fields on the run's entry, or create an entry: the write, its step record and the run's next step in one transaction. */
    @SuppressWarnings("unchecked")
    private boolean write(CrmContext crm, Workflow workflow, Run run, long step, Workflow.Step definition, Map<String, Object> values) {
        Triggers.writingAs(workflow.name(), run.depth(), () -> crm.inTransaction(tx -> {
            String detail;
            if (definition.action().equals("set")) {
                Map<String, Object> fields = (Map<String, Object>) Templates.renderAll(definition.spec(), values);
                tx.update(run.entryObject(), run.entryId(), Values.forFields(tx.fields(run.entryObject()), fields));
                detail = "set " + String.join(", ", fields.keySet()) + " on " + run.entryObject() + " " + run.entryId();
            } else {
                String object = String.valueOf(definition.spec().get("object"));
                Map<String, Object> fields = (Map<String, Object>) Templates.renderAll(definition.spec().get("values"), values);
                Map<String, Object> created = tx.create(object, Values.forFields(tx.fields(object), fields));
                detail = "created " + object + " " + created.get("id");
            }
            stepRecord(tx, run, step, definition.action(), "DONE", 1, null, detail);
            next(tx, run, step + 1, PENDING, Triggers.now());
            return null;
        }));
        return true;
    }

    private boolean waitDays(PluginContext context, Run run, long step, Workflow.Step definition) {
        double days = ((Number) definition.spec().get("days")).doubleValue();
        OffsetDateTime until = Triggers.now().plus(Duration.ofMillis((long) (days * dayLength(context).toMillis())));
        context.crm().inTransaction(tx -> {
            stepRecord(tx, run, step, "wait", "DONE", 1, null, "waits until " + until);
            next(tx, run, step + 1, WAITING, until);
            return null;
        });
        return false;
    }

    /**
     * Recorded (SENDING, with its Message-ID) and committed first; handed to SMTP; then SENT and the run
     * moves on. A step found still SENDING was cut off in between: it may or may not have gone out, so it
     * becomes UNKNOWN and waits for the store owner ({@code resendWorkflowEmail}) instead of going twice.
     */
    private boolean email(PluginContext context, Run run, long step, Workflow.Step definition, Map<String, Object> values) {
        CrmContext crm = context.crm();
        String key = run.key() + "#" + step;
        List<Map<String, Object>> earlier = crm.sql("SELECT \"state\", \"attempts\", \"message_id\", \"detail\" FROM \""
                + WorkflowSchema.STEPS + "\" WHERE \"step_key\" = ?", key);
        if (!earlier.isEmpty() && SENDING.equals(earlier.get(0).get("state"))) {
            Map<String, Object> cut = earlier.get(0);
            String problem = "The server stopped while this email was being handed to the mail server: it may not have been"
                    + " sent. It is not sent again on its own; the mail server's log shows whether Message-ID " + cut.get("message_id")
                    + " went out, and resendWorkflowEmail sends it once more.";
            crm.inTransaction(tx -> {
                stepRecord(tx, run, step, "email", UNKNOWN, ((Number) cut.get("attempts")).longValue(), (String) cut.get("message_id"),
                        (String) cut.get("detail"));
                finishIn(tx, run, UNKNOWN, problem);
                return null;
            });
            return false;
        }
        long attempt = earlier.isEmpty() ? 1 : ((Number) earlier.get(0).get("attempts")).longValue() + 1;
        String to = Templates.render(String.valueOf(definition.spec().get("to")), values);
        String from = Templates.render(String.valueOf(definition.spec().getOrDefault("from", "{{settings.sender}}")), values);
        String subject = Templates.render(String.valueOf(definition.spec().get("subject")), values);
        String body = Templates.render(String.valueOf(definition.spec().get("body")), values);
        String messageId = "<" + UUID.randomUUID() + "@storefront-crm>";
        stepRecord(crm, run, step, "email", SENDING, attempt, messageId, "to " + to + ": " + subject);
        try {
            Mailer.send(context, messageId, from, to, subject, body);
        } catch (Exception e) {
            String problem = "The email to " + to + " could not be sent: " + describe(e);
            crm.inTransaction(tx -> {
                stepRecord(tx, run, step, "email", FAILED, attempt, messageId, problem);
                finishIn(tx, run, FAILED, problem);
                return null;
            });
            return false;
        }
        crm.inTransaction(tx -> {
            stepRecord(tx, run, step, "email", "SENT", attempt, messageId, "to " + to + ": " + subject);
            next(tx, run, step + 1, PENDING, Triggers.now());
            return null;
        });
        return true;
    }

    private boolean webhook(PluginContext context, Run run, long step, Workflow.Step definition, Map<String, Object> values,
                            Map<String, Object> entry) {
        CrmContext crm = context.crm();
        String url = Templates.render(String.valueOf(definition.spec().get("url")), values);
        Object secret = definition.spec().get("secret");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("workflow", run.workflow());
        payload.put("run", Values.globalId(WorkflowSchema.RUNS, run.id()));
        payload.put("event", run.triggerEvent());
        payload.put("object", run.entryObject());
        payload.put("entry", jsonSafe(entry));
        if (definition.spec().get("payload") != null) {
            payload.put("data", Templates.renderAll(definition.spec().get("payload"), values));
        }
        long attempt = run.attempts() + 1;
        String outcome;
        try {
            int status = Webhooks.post(url, secret == null ? null : Templates.render(String.valueOf(secret), values),
                    run.key() + "#" + step, context.json().write(payload));
            if (status >= 200 && status < 300) {
                crm.inTransaction(tx -> {
                    stepRecord(tx, run, step, "webhook", "DELIVERED", attempt, null, "HTTP " + status + " from " + url);
                    next(tx, run, step + 1, PENDING, Triggers.now());
                    return null;
                });
                return true;
            }
            outcome = "HTTP " + status + " from " + url;
        } catch (Exception e) {
            outcome = "no answer from " + url + ": " + describe(e);
        }
        int maxAttempts = context.config("webhook.max-attempts").map(Integer::parseInt).orElse(5);
        String last = outcome;
        if (attempt >= maxAttempts) {
            crm.inTransaction(tx -> {
                stepRecord(tx, run, step, "webhook", DEAD_LETTER, attempt, null, last);
                tx.update(WorkflowSchema.RUNS, run.id(), Map.of("state", DEAD_LETTER, "attempts", attempt,
                        "error", "The webhook failed " + attempt + " times; last: " + last + ". Replay the run once the receiver works.",
                        "finished_at", Triggers.now()));
                return null;
            });
        } else {
            Duration backoff = context.config("webhook.backoff").map(Duration::parse).orElse(Duration.ofSeconds(30))
                    .multipliedBy(1L << (attempt - 1));
            crm.inTransaction(tx -> {
                stepRecord(tx, run, step, "webhook", RETRYING, attempt, null, last);
                tx.update(WorkflowSchema.RUNS, run.id(), Map.of("state", RETRYING, "attempts", attempt,
                        "due_at", Triggers.now().plus(backoff), "error", last));
                return null;
            });
        }
        return false;
    }

    private static Map<String, Object> jsonSafe(Map<String, Object> entry) {
        Map<String, Object> out = new LinkedHashMap<>();
        entry.forEach((k, v) -> out.put(k, v == null || v instanceof Number || v instanceof Boolean || v instanceof List<?>
                || v instanceof String ? v : String.valueOf(v)));
        return out;
    }

    private static void stepRecord(CrmContext crm, Run run, long step, String action, String state, long attempts,
                                   String messageId, String detail) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("step_key", run.key() + "#" + step);
        values.put("run", run.id());
        values.put("step", step);
        values.put("action", action);
        values.put("state", state);
        values.put("attempts", attempts);
        values.put("message_id", messageId);
        values.put("detail", detail);
        values.put("at", Triggers.now());
        crm.upsert(WorkflowSchema.STEPS, "step_key", values);
    }

    private static void next(CrmContext tx, Run run, long step, String state, OffsetDateTime due) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("next_step", step);
        values.put("state", state);
        values.put("due_at", due);
        values.put("attempts", 0L);
        values.put("error", null);
        tx.update(WorkflowSchema.RUNS, run.id(), values);
    }

    private static void finish(CrmContext crm, Run run, String state, String error) {
        crm.inTransaction(tx -> {
            finishIn(tx, run, state, error);
            return null;
        });
    }

    private static void finishIn(CrmContext tx, Run run, String state, String error) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("state", state);
        values.put("error", error);
        values.put("finished_at", Triggers.now());
        tx.update(WorkflowSchema.RUNS, run.id(), values);
    }

    /** How long a workflow's "day" lasts ({@code day-length}, default one day): shorter only to try sequences out. */
    static Duration dayLength(PluginContext context) {
        return context.config("day-length").map(Duration::parse).orElse(Duration.ofDays(1));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
