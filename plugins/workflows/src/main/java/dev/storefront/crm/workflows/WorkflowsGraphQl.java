package dev.storefront.crm.workflows;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/** workflows, workflowRuns, workflowHealth, simulateWorkflow; saveWorkflow, enableWorkflow, replayWorkflowRun. */
@Extension
public class WorkflowsGraphQl implements GraphQlContribution {

    private static final int SIMULATED = 100;

    @Override
    public String sdl() {
        return """
                "A workflow: its trigger and steps as YAML"
                type Workflow { name: String! description: String! enabled: Boolean! enabledAt: DateTime trigger: String! definition: String! }
                "One step of a run as it was carried out"
                type WorkflowStep {
                  id: ID!
                  step: Int!
                  action: String!
                  "DONE, SENDING, SENT, UNKNOWN (an email that may not have been sent), RESEND, FAILED, DELIVERED, RETRYING or DEAD_LETTER"
                  state: String!
                  attempts: Int!
                  messageId: String
                  detail: String
                  at: DateTime
                }
                "One run of a workflow for one entry and triggering event"
                type WorkflowRun {
                  id: ID!
                  workflow: String!
                  entryObject: String!
                  "The global id of the entry the run acts on (empty for an import trigger)"
                  entry: ID
                  triggerEvent: String!
                  "PENDING, WAITING, RETRYING, SUCCEEDED, FAILED, STOPPED, DEAD_LETTER or UNKNOWN (its email may not have been sent)"
                  state: String!
                  nextStep: Int!
                  dueAt: DateTime
                  attempts: Int!
                  error: String
                  startedAt: DateTime
                  finishedAt: DateTime
                  steps: [WorkflowStep!]!
                }
                "Whether a workflow keeps up: when its trigger last looked at an event, and what waits"
                type WorkflowHealth {
                  workflow: String!
                  enabled: Boolean!
                  lastTriggerEvaluatedAt: DateTime
                  "Runs with a step still to do"
                  pendingRuns: Int!
                  "Entry events recorded for the workflow that the worker has not yet turned into runs"
                  pendingEvents: Int!
                  "When the oldest step due (and not done) fell due"
                  oldestPendingDueAt: DateTime
                  "Seconds that step is late (0 when nothing is due)"
                  lagSeconds: Float!
                  failedRuns: Int!
                  deadLetters: Int!
                  "Runs stopped at an email that may not have been sent (UNKNOWN), waiting for resendWorkflowEmail"
                  unknownEmails: Int!
                  "Why the trigger could not be evaluated on the worker's last pass (empty when it could)"
                  triggerError: String
                }
                "An entry the workflow would start a run for now, and what the run would do"
                type SimulatedRun { entryObject: String! entry: ID! triggerEvent: String! actions: [String!]! }
                type WorkflowSimulation { workflow: String! wouldStart: Int! runs: [SimulatedRun!]! }
                extend type Query {
                  workflows: [Workflow!]!
                  "Runs, newest first; each argument narrows (entry: a global id)"
                  workflowRuns(workflow: String, entry: ID, state: String, first: Int = 100): [WorkflowRun!]!
                  workflowHealth: [WorkflowHealth!]!
                  "A dry run: which entries would trigger now and what would be done, doing nothing (yaml: try an unsaved definition)"
                  simulateWorkflow(name: String, yaml: String): WorkflowSimulation!
                }
                extend type Mutation {
                  "Adds or changes a workflow from YAML (checked first); an enabled one stays enabled"
                  saveWorkflow(yaml: String!): Workflow!
                  "Turns a workflow on (its settings must be set) or off; events before it was turned on trigger nothing"
                  enableWorkflow(name: String!, enabled: Boolean!): Workflow!
                  "Runs a dead-lettered or failed run again from the step that failed"
                  replayWorkflowRun(id: ID!): WorkflowRun!
                  "Sends once more an email step that may not have been sent (state UNKNOWN; step: its id), then the run goes on"
                  resendWorkflowEmail(step: ID!): WorkflowRun!
                }
                """;
    }

    @Override
    public Map<String, GraphQlResolver> resolvers() {
        return Map.of(
                "Query.workflows", (args, context) -> Definitions.reload(context).stream().map(WorkflowsGraphQl::workflow).toList(),
                "Query.workflowRuns", WorkflowsGraphQl::runs,
                "Query.workflowHealth", (args, context) -> health(context),
                "Query.simulateWorkflow", WorkflowsGraphQl::simulate,
                "Mutation.saveWorkflow", (args, context) -> workflow(Definitions.save(context, (String) args.get("yaml"))),
                "Mutation.enableWorkflow", (args, context) -> workflow(Definitions.enable(context, (String) args.get("name"),
                        Boolean.TRUE.equals(args.get("enabled")))),
                "Mutation.replayWorkflowRun", WorkflowsGraphQl::replay,
                "Mutation.resendWorkflowEmail", WorkflowsGraphQl::resend);
    }

    private static Map<String, Object> workflow(Definitions.Stored stored) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", stored.workflow().name());
        out.put("description", stored.workflow().description());
        out.put("enabled", stored.enabled());
        out.put("enabledAt", stored.enabledAt());
        Workflow.Trigger trigger = stored.workflow().trigger();
        out.put("trigger", trigger.on() + (trigger.cron() == null ? "" : " " + trigger.cron()) + (trigger.object() == null ? "" : " " + trigger.object()));
        out.put("definition", stored.workflow().yaml());
        return out;
    }

    private static List<Map<String, Object>> runs(Map<String, Object> args, PluginContext context) {
        StringBuilder sql = new StringBuilder(RUN_COLUMNS + " WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (args.get("workflow") != null) {
            sql.append(" AND \"workflow\" = ?");
            parameters.add(args.get("workflow"));
        }
        if (args.get("entry") != null) {
            String entry = String.valueOf(args.get("entry"));
            sql.append(" AND \"entry_id\" = ?");
            parameters.add(Values.id(entry));
        }
        if (args.get("state") != null) {
            sql.append(" AND \"state\" = ?");
            parameters.add(args.get("state"));
        }
        int first = args.get("first") == null ? 100 : ((Number) args.get("first")).intValue();
        sql.append(" ORDER BY \"id\" DESC LIMIT ").append(Math.max(0, Math.min(first, 1000)));
        return context.crm().sql(sql.toString(), parameters.toArray()).stream().map(row -> run(context.crm(), row)).toList();
    }

    private static final String RUN_COLUMNS = "SELECT \"id\", \"workflow\", \"entry_object\", \"entry_id\", \"trigger_event\", \"state\","
            + " \"next_step\", \"due_at\", \"attempts\", \"error\", \"started_at\", \"finished_at\" FROM \"" + WorkflowSchema.RUNS + "\"";

    private static Map<String, Object> run(CrmContext crm, Map<String, Object> row) {
        long id = ((Number) row.get("id")).longValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Values.globalId(WorkflowSchema.RUNS, id));
        out.put("workflow", row.get("workflow"));
        out.put("entryObject", row.get("entry_object"));
        out.put("entry", row.get("entry_id") == null ? null
                : Values.globalId((String) row.get("entry_object"), ((Number) row.get("entry_id")).longValue()));
        out.put("triggerEvent", row.get("trigger_event"));
        out.put("state", row.get("state"));
        out.put("nextStep", row.get("next_step"));
        out.put("dueAt", Values.dateTime(row.get("due_at")));
        out.put("attempts", row.get("attempts") == null ? 0 : row.get("attempts"));
        out.put("error", row.get("error"));
        out.put("startedAt", Values.dateTime(row.get("started_at")));
        out.put("finishedAt", Values.dateTime(row.get("finished_at")));
        out.put("steps", crm.sql("SELECT \"id\", \"step\", \"action\", \"state\", \"attempts\", \"message_id\" AS \"messageId\", \"detail\", \"at\""
                + " FROM \"" + WorkflowSchema.STEPS + "\" WHERE \"run_id\" = ? ORDER BY \"step\"", id).stream().map(step -> {
                    Map<String, Object> s = new LinkedHashMap<>(step);
                    s.put("id", Values.globalId(WorkflowSchema.STEPS, ((Number) step.get("id")).longValue()));
                    s.put("at", Values.dateTime(step.get("at")));
                    return s;
                }).toList());
        return out;
    }

    private static List<Map<String, Object>> health(PluginContext context) {
        OffsetDateTime now = Triggers.now();
        Map<String, Map<String, Object>> counts = new LinkedHashMap<>();
        for (Map<String, Object> row : context.crm().sql("SELECT \"workflow\","
                + " count(*) FILTER (WHERE \"state\" IN (?, ?, ?)) AS pending,"
                + " min(\"due_at\") FILTER (WHERE \"state\" IN (?, ?, ?) AND \"due_at\" <= ?::TIMESTAMPTZ) AS oldest,"
                + " count(*) FILTER (WHERE \"state\" = ?) AS failed, count(*) FILTER (WHERE \"state\" = ?) AS dead,"
                + " count(*) FILTER (WHERE \"state\" = ?) AS unknown"
                + " FROM \"" + WorkflowSchema.RUNS + "\" GROUP BY \"workflow\"",
                Runs.PENDING, Runs.WAITING, Runs.RETRYING, Runs.PENDING, Runs.WAITING, Runs.RETRYING, now, Runs.FAILED, Runs.DEAD_LETTER,
                Runs.UNKNOWN)) {
            counts.put((String) row.get("workflow"), row);
        }
        Map<String, Object> waitingEvents = new LinkedHashMap<>();
        for (Map<String, Object> row : context.crm().sql("SELECT e.\"workflow\", count(*) AS waiting FROM \"" + WorkflowSchema.EVENTS
                + "\" e JOIN \"" + WorkflowSchema.DEFINITIONS + "\" d ON d.\"name\" = e.\"workflow\""
                + " WHERE e.\"id\" > coalesce(d.\"event_cursor\", 0) GROUP BY e.\"workflow\"")) {
            waitingEvents.put((String) row.get("workflow"), row.get("waiting"));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Definitions.Stored stored : Definitions.reload(context)) {
            String name = stored.workflow().name();
            Map<String, Object> row = counts.getOrDefault(name, Map.of());
            OffsetDateTime oldest = Values.dateTime(row.get("oldest"));
            OffsetDateTime evaluated = Triggers.LAST_EVALUATED.getOrDefault(name, stored.lastEvaluatedAt());
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("workflow", name);
            health.put("enabled", stored.enabled());
            health.put("lastTriggerEvaluatedAt", evaluated);
            health.put("pendingRuns", number(row.get("pending")));
            health.put("oldestPendingDueAt", oldest);
            health.put("lagSeconds", oldest == null ? 0.0 : Duration.between(oldest, now).toMillis() / 1000.0);
            health.put("failedRuns", number(row.get("failed")));
            health.put("deadLetters", number(row.get("dead")));
            health.put("unknownEmails", number(row.get("unknown")));
            health.put("pendingEvents", number(waitingEvents.get(name)));
            health.put("triggerError", Triggers.TRIGGER_ERRORS.get(name));
            out.add(health);
        }
        return out;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /**
     * The dry run: for a scanned trigger the very SELECT the worker would insert from; for an entry
     * trigger the entries that match its condition now (what would start if each were written now).
     * Each with its steps rendered, nothing sent or written.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> simulate(Map<String, Object> args, PluginContext context) {
        Definitions.Stored stored;
        if (args.get("yaml") != null) {
            Workflow workflow = Workflow.parse((String) args.get("yaml"), context);
            stored = new Definitions.Stored(0, workflow, false, null, null, 0, null);
        } else if (args.get("name") != null) {
            stored = Definitions.named(context, (String) args.get("name"));
        } else {
            throw new PluginException("workflow.simulate", "simulateWorkflow needs a name or a yaml");
        }
        Workflow workflow = stored.workflow();
        CrmContext crm = context.crm();
        List<Map<String, Object>> candidates = new ArrayList<>();
        OffsetDateTime now = Triggers.now();
        // A cron's dry run shows its next firing, on the entries that match now.
        OffsetDateTime firing = workflow.trigger().cron() == null ? null : context.nextCronFiring(workflow.trigger().cron(), now)
                .orElseThrow(() -> new PluginException("workflow.simulate", "The cron schedule of " + workflow.name() + " never fires again"));
        if (firing != null && workflow.trigger().object() == null) {
            candidates.add(Map.of("entry_object", "", "trigger_event", "cron:" + firing));
        } else if (workflow.trigger().scanned() || firing != null) {
            // A workflow not enabled yet would see what becomes due from now on; the dry run shows what is due now.
            Definitions.Stored asIfEnabled = stored.enabledAt() != null ? stored
                    : new Definitions.Stored(stored.id(), workflow, true, OffsetDateTime.parse("1970-01-01T00:00:00Z"), null, 0, null);
            Triggers.Select select = Triggers.candidates(crm, asIfEnabled, Runs.dayLength(context), now, firing);
            for (Map<String, Object> row : crm.sql("SELECT entry_object, entry_id, trigger_event FROM (" + select.sql() + ") LIMIT "
                    + SIMULATED, select.parameters().toArray())) {
                candidates.add(row);
            }
        } else if (workflow.trigger().on().equals("import_finished")) {
            candidates.add(Map.of("entry_object", workflow.trigger().object(), "trigger_event", "import"));
        } else {
            var filter = workflow.trigger().where() == null ? dev.storefront.crm.api.query.Filter.all()
                    : Where.parse(workflow.trigger().where());
            for (Map<String, Object> entry : crm.query(workflow.trigger().object(), filter, List.of(), SIMULATED)) {
                long id = ((Number) entry.get("id")).longValue();
                Object target = workflow.target() == null ? id : entry.get(workflow.target());
                if (target != null) {
                    candidates.add(Map.of("entry_object", Triggers.entryObject(workflow, workflow.trigger().object()),
                            "entry_id", Values.id(target), "trigger_event", workflow.trigger().object() + ":" + id + ":" + workflow.trigger().on()));
                }
            }
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Map<String, Object> candidate : candidates) {
            String object = (String) candidate.get("entry_object");
            Long id = Values.id(candidate.get("entry_id"));
            Map<String, Object> entry = id == null ? Map.of() : crm.find(object, id).orElse(Map.of());
            Runs.Run run = new Runs.Run(0, workflow.name() + ":" + candidate.get("trigger_event"), workflow.name(), object, id,
                    (String) candidate.get("trigger_event"), 0, 0, "(code)", 0, Triggers.now());
            Map<String, Object> values = Runs.values(context, workflow, run, entry);
            Map<String, Object> simulated = new LinkedHashMap<>();
            simulated.put("entryObject", object);
            simulated.put("entry", id == null ? "" : Values.globalId(object, id));
            simulated.put("triggerEvent", candidate.get("trigger_event"));
            simulated.put("actions", workflow.steps().stream().map(step -> describe(step, values)).toList());
            runs.add(simulated);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workflow", workflow.name());
        out.put("wouldStart", runs.size());
        out.put("runs", runs);
        return out;
    }

    private static String describe(Workflow.Step step, Map<String, Object> values) {
        Map<String, Object> spec = step.spec();
        return switch (step.action()) {
            case "email" -> "email " + Templates.render(String.valueOf(spec.get("to")), values) + ": "
                    + Templates.render(String.valueOf(spec.get("subject")), values);
            case "webhook" -> "webhook POST " + Templates.render(String.valueOf(spec.get("url")), values);
            case "wait" -> "wait " + spec.get("days") + " days";
            case "create" -> "create " + spec.get("object") + " " + Templates.renderAll(spec.get("values"), values);
            default -> "set " + Templates.renderAll(spec, values);
        };
    }

    private static Map<String, Object> replay(Map<String, Object> args, PluginContext context) {
        CrmContext crm = context.crm();
        long id = Values.id(args.get("id"));
        List<Map<String, Object>> rows = crm.sql(RUN_COLUMNS + " WHERE \"id\" = ?", id);
        if (rows.isEmpty()) {
            throw new PluginException("workflow.run.unknown", "There is no workflow run with id " + args.get("id"));
        }
        String state = (String) rows.get(0).get("state");
        if (Runs.UNKNOWN.equals(state)) {
            throw new PluginException("workflow.run.replay", "This run stopped at an email that may not have been sent:"
                    + " resend it with resendWorkflowEmail(step:) once the mail server's log shows it did not go out");
        }
        if (!Runs.DEAD_LETTER.equals(state) && !Runs.FAILED.equals(state)) {
            throw new PluginException("workflow.run.replay", "Only a failed or dead-lettered run can be replayed; this one is " + state);
        }
        crm.update(WorkflowSchema.RUNS, id, resumed());
        return run(crm, crm.sql(RUN_COLUMNS + " WHERE \"id\" = ?", id).get(0));
    }

    /** The run takes up its next step now, as if it had never stopped. */
    private static Map<String, Object> resumed() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("state", Runs.PENDING);
        values.put("attempts", 0L);
        values.put("due_at", Triggers.now());
        values.put("error", null);
        values.put("finished_at", null);
        return values;
    }

    /**
     * The store owner's answer to an email that may not have been sent: the step is marked RESEND and
     * its run resumes, so the worker sends it (with a new Message-ID) and goes on, in one transaction.
     */
    private static Map<String, Object> resend(Map<String, Object> args, PluginContext context) {
        CrmContext crm = context.crm();
        long stepId = Values.id(args.get("step"));
        List<Map<String, Object>> steps = crm.sql("SELECT \"run_id\", \"action\", \"state\" FROM \"" + WorkflowSchema.STEPS
                + "\" WHERE \"id\" = ?", stepId);
        if (steps.isEmpty()) {
            throw new PluginException("workflow.step.unknown", "There is no workflow step with id " + args.get("step"));
        }
        Map<String, Object> step = steps.get(0);
        if (!"email".equals(step.get("action")) || !Runs.UNKNOWN.equals(step.get("state"))) {
            throw new PluginException("workflow.step.resend", "Only an email that may not have been sent (state UNKNOWN) can be"
                    + " resent; this step is a " + step.get("action") + " in state " + step.get("state"));
        }
        long run = ((Number) step.get("run_id")).longValue();
        crm.inTransaction(tx -> {
            tx.update(WorkflowSchema.STEPS, stepId, Map.of("state", Runs.RESEND));
            tx.update(WorkflowSchema.RUNS, run, resumed());
            return null;
        });
        return run(crm, crm.sql(RUN_COLUMNS + " WHERE \"id\" = ?", run).get(0));
    }
}
