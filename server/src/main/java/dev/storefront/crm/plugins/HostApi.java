package dev.storefront.crm.plugins;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.PluginFieldsGenerator;
import dev.storefront.crm.graphql.types.SdlContribution;
import dev.storefront.crm.imports.ImporterCatalog;
import dev.storefront.crm.imports.ImporterDef;
import dev.storefront.crm.imports.ImportService;
import dev.storefront.crm.jobs.JobError;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.jobs.JobView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The host's own API for plugins, importers and jobs, written as SDL and added to the schema the
 * same way plugin contributions are. Answers are plain maps.
 */
final class HostApi {

    static final String SDL = """
            "A PF4J plugin and what it contributes while started"
            type Plugin {
              id: ID!
              version: String
              "STARTED, STOPPED, DISABLED, FAILED (threw while starting) or LOAD_FAILED (file unreadable)"
              state: String!
              enabled: Boolean!
              description: String
              provider: String
              "Why it failed, or a problem found with what it contributes"
              error: String
              file: String
              contributes: PluginContributions!
            }
            type PluginContributions {
              queryFields: [String!]!
              mutationFields: [String!]!
              types: [String!]!
              objects: [String!]!
              importers: [String!]!
              jobs: [String!]!
              endpoints: [String!]!
              eventListeners: Int!
            }
            type ColumnMapping { target: String! source: String! }
            type Importer {
              name: ID!
              plugin: String
              object: String!
              description: String
              "Unique fields that find the entry a row updates, tried in order"
              keys: [String!]!
              "The default mapping; empty for csv:<object>, which maps the file's header by label or api name"
              columns: [ColumnMapping!]!
            }
            type PluginJobInfo {
              plugin: String!
              name: String!
              description: String
              kind: String!
              "Cron (Spring syntax, seconds first) in the store's time zone; null when it runs only on demand"
              schedule: String
              nextRunAt: DateTime
            }
            enum JobState { QUEUED RUNNING SUCCEEDED FAILED CANCELLED INTERRUPTED }
            type JobError {
              "Record number: 1 is the first data record of the file"
              row: Int!
              "The file line where the record starts (after the header; a quoted value may span lines)"
              line: Int
              column: String
              value: String
              reason: String!
            }
            type Job {
              id: ID!
              plugin: String
              name: String!
              state: JobState!
              processed: Int!
              "-1 while unknown; once finished, never -1 (a job that never knew it, such as an import of a file refused before reading, has its processed count)"
              total: Int!
              errorCount: Int!
              "The bad records, at most the first 1000"
              errors: [JobError!]!
              message: String
              "JSON"
              args: String
              createdAt: DateTime
              startedAt: DateTime
              finishedAt: DateTime
            }
            extend type Query {
              plugins: [Plugin!]!
              plugin(id: ID!): Plugin
              importers: [Importer!]!
              pluginJobs: [PluginJobInfo!]!
              jobs(limit: Int = 50): [Job!]!
              "Poll it for a progress bar"
              job(id: ID!): Job
            }
            extend type Mutation {
              startPlugin(id: ID!): Plugin!
              "Its GraphQL fields leave the schema at once"
              stopPlugin(id: ID!): Plugin!
              enablePlugin(id: ID!): Plugin!
              disablePlugin(id: ID!): Plugin!
              "args: a JSON object, e.g. {\\"full\\": true} to sync from the beginning"
              runJob(plugin: String!, job: String!, args: String): Job!
              cancelJob(id: ID!): Job!
              "Continues an import that a stopped server interrupted, with the next chunk, from the stored file"
              resumeImport(job: ID!): Job!
            }
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final PluginHost host;
    private final PluginJobs pluginJobs;
    private final PluginScheduler scheduler;
    private final JobRunner jobs;
    private final ImporterCatalog importers;
    private final ImportService imports;

    HostApi(PluginHost host, PluginJobs pluginJobs, PluginScheduler scheduler, JobRunner jobs, ImporterCatalog importers,
            ImportService imports) {
        this.scheduler = scheduler;
        this.host = host;
        this.pluginJobs = pluginJobs;
        this.jobs = jobs;
        this.importers = importers;
        this.imports = imports;
    }

    SdlContribution contribution() {
        Map<String, Function<Map<String, Object>, Object>> resolvers = new LinkedHashMap<>();
        resolvers.put("Query.plugins", args -> host.plugins().stream().map(this::plugin).toList());
        resolvers.put("Query.plugin", args -> host.plugins().stream().filter(p -> p.id().equals(args.get("id")))
                .findFirst().map(this::plugin).orElse(null));
        resolvers.put("Query.importers", args -> importers.all().stream().map(HostApi::importer).toList());
        resolvers.put("Query.pluginJobs", args -> pluginJobs.available().stream().map(this::jobInfo).toList());
        resolvers.put("Query.jobs", args -> jobs.recent((Integer) args.getOrDefault("limit", 50)).stream().map(HostApi::job).toList());
        resolvers.put("Query.job", args -> jobs.find((String) args.get("id")).map(HostApi::job).orElse(null));
        resolvers.put("Mutation.startPlugin", args -> plugin(host.start((String) args.get("id"))));
        resolvers.put("Mutation.stopPlugin", args -> plugin(host.stop((String) args.get("id"))));
        resolvers.put("Mutation.enablePlugin", args -> plugin(host.enable((String) args.get("id"))));
        resolvers.put("Mutation.disablePlugin", args -> plugin(host.disable((String) args.get("id"))));
        resolvers.put("Mutation.runJob", args -> job(pluginJobs.run((String) args.get("plugin"), (String) args.get("job"),
                jobArgs((String) args.get("args"))).view()));
        resolvers.put("Mutation.cancelJob", args -> job(jobs.cancel((String) args.get("id"))));
        resolvers.put("Mutation.resumeImport", args -> job(imports.resume((String) args.get("job")).view()));
        return new SdlContribution("host", SDL, resolvers);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobArgs(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> args = JSON.readValue(text, Map.class);
            return args == null ? Map.of() : args;
        } catch (JacksonException e) {
            throw new CrmException(ErrorCode.VALIDATION, "args must be a JSON object: " + e.getOriginalMessage());
        }
    }

    private Map<String, Object> plugin(PluginInfo info) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", info.id());
        map.put("version", info.version());
        map.put("state", info.state());
        map.put("enabled", info.enabled());
        map.put("description", info.description());
        map.put("provider", info.provider());
        map.put("error", info.error());
        map.put("file", info.file());
        map.put("contributes", contributions(info));
        return map;
    }

    private Map<String, Object> jobInfo(PluginJobs.Available job) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("plugin", job.plugin());
        map.put("name", job.name());
        map.put("description", job.description());
        map.put("kind", job.kind());
        scheduler.schedule(job.plugin(), job.name()).ifPresent(schedule -> {
            map.put("schedule", schedule.cron());
            map.put("nextRunAt", schedule.nextRun());
        });
        return map;
    }

    private Map<String, Object> contributions(PluginInfo info) {
        List<String> queries = new ArrayList<>();
        List<String> mutations = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        List<String> importerNames = new ArrayList<>();
        List<String> jobNames = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        int listeners = 0;
        StartedPlugin started = host.started().stream().filter(p -> p.id().equals(info.id())).findFirst().orElse(null);
        if (started != null) {
            PluginExtensions extensions = started.extensions();
            try {
                for (var graphql : extensions.graphql()) {
                    Map<String, List<String>> names = PluginFieldsGenerator.names(started.call(() -> graphql.sdl(started.context())));
                    queries.addAll(names.get("queries"));
                    mutations.addAll(names.get("mutations"));
                    types.addAll(names.get("types"));
                }
                for (var schema : extensions.schema()) {
                    for (String document : started.call(schema::yamlDocuments)) {
                        objects.add(describeObject(document));
                    }
                }
                for (var importer : extensions.importers()) {
                    importerNames.add(info.id() + ":" + started.call(importer::name));
                }
                for (var endpoint : extensions.endpoints()) {
                    endpoints.add("/plugins/" + info.id() + "/" + started.call(endpoint::path));
                }
            } catch (Exception e) {
                host.reportProblem(info.id(), "Describing its contributions failed: " + PluginHost.describe(e));
            }
            pluginJobs.available().stream().filter(j -> j.plugin().equals(info.id())).forEach(j -> jobNames.add(j.name()));
            listeners = extensions.listeners().size();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("queryFields", queries);
        map.put("mutationFields", mutations);
        map.put("types", types);
        map.put("objects", objects);
        map.put("importers", importerNames);
        map.put("jobs", jobNames);
        map.put("endpoints", endpoints);
        map.put("eventListeners", listeners);
        return map;
    }

    @SuppressWarnings("unchecked")
    private static String describeObject(String document) {
        try {
            Map<String, Object> object = YAML.readValue(document, Map.class);
            List<Map<String, Object>> fields = (List<Map<String, Object>>) object.getOrDefault("fields", List.of());
            return object.get("object") + "(" + String.join(", ", fields.stream()
                    .map(f -> String.valueOf(f.getOrDefault("api_name", f.get("name")))).toList()) + ")";
        } catch (JacksonException | ClassCastException e) {
            return "(unreadable document)";
        }
    }

    private static Map<String, Object> importer(ImporterDef def) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", def.name());
        map.put("plugin", def.plugin());
        map.put("object", def.object());
        map.put("description", def.description());
        ImportMapping mapping = def.mapping();
        map.put("keys", mapping == null ? List.of() : mapping.keys());
        List<Map<String, Object>> columns = new ArrayList<>();
        if (mapping != null) {
            mapping.columns().forEach((target, source) -> columns.add(Map.of("target", target, "source", source)));
        }
        map.put("columns", columns);
        return map;
    }

    static Map<String, Object> job(JobView job) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", job.id());
        map.put("plugin", job.plugin());
        map.put("name", job.name());
        map.put("state", job.state().name());
        map.put("processed", (int) Math.min(Integer.MAX_VALUE, job.processed()));
        map.put("total", (int) Math.min(Integer.MAX_VALUE, job.total()));
        map.put("errorCount", (int) Math.min(Integer.MAX_VALUE, job.errorCount()));
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JobError error : job.errors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("row", (int) error.row());
            e.put("line", error.line() == null ? null : (int) Math.min(Integer.MAX_VALUE, error.line()));
            e.put("column", error.column());
            e.put("value", error.value());
            e.put("reason", error.reason());
            errors.add(e);
        }
        map.put("errors", errors);
        map.put("message", job.message());
        map.put("args", JSON.writeValueAsString(job.args()));
        map.put("createdAt", job.createdAt());
        map.put("startedAt", job.startedAt());
        map.put("finishedAt", job.finishedAt());
        return map;
    }
}
