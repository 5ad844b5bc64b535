package dev.storefront.crm.imports.csv;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.jobs.JobError;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.ChunkOutcome;
import dev.storefront.crm.storage.ChunkPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the rows a chunk refused into the job's error report, in the words of a single write: a
 * value's reason is the one {@link FieldValues} gives for it, so an import and a form say the same.
 * Only refused rows get here.
 */
public final class ChunkReport {

    /** Why a row was refused: the field at fault, the value as the report shows it, and the reason, in a store owner's words. */
    public record Refusal(String field, String value, String reason) {
    }

    private ChunkReport() {
    }

    /** A row some mapping of a chunk refused. */
    record Refused(MappingPlan plan, ChunkOutcome.Problem problem) {
    }

    /**
     * One error per refused record, in record order, naming every problem the chunk's mappings found in it (a
     * file's several mappings, an order's and its items', each read the same record): its columns, values and
     * reasons joined by {@code "; "}, each once.
     */
    static List<JobError> report(List<Refused> refused) {
        Map<Long, List<JobError>> byRecord = new TreeMap<>();
        for (Refused row : refused) {
            byRecord.computeIfAbsent(row.problem().record(), record -> new ArrayList<>()).add(error(row.plan(), row.problem()));
        }
        List<JobError> report = new ArrayList<>();
        for (List<JobError> errors : byRecord.values()) {
            List<JobError> distinct = errors.stream().distinct().toList();
            JobError first = distinct.get(0);
            report.add(distinct.size() == 1 ? first : new JobError(first.row(), first.line(), joined(distinct, JobError::column),
                    joined(distinct, JobError::value), joined(distinct, JobError::reason)));
        }
        return report;
    }

    private static String joined(List<JobError> errors, Function<JobError, String> part) {
        return String.join("; ", errors.stream().map(part).map(text -> text == null ? "" : text).toList());
    }

    private static JobError error(MappingPlan plan, ChunkOutcome.Problem problem) {
        Refusal refusal = refusal(plan.chunk(), problem);
        String column = problem.rule() < 0 ? problem.field() : plan.sources().get(problem.rule());
        return new JobError(problem.record(), problem.line(), column, refusal.value(), refusal.field() + ": " + refusal.reason());
    }

    /** Why {@code plan} refused the row of {@code problem}. */
    public static Refusal refusal(ChunkPlan plan, ChunkOutcome.Problem problem) {
        ObjectDef object = plan.object();
        if (problem.rule() < 0) {
            return new Refusal(problem.field(), null, "is required");
        }
        ChunkPlan.Rule rule = plan.rules().get(problem.rule());
        String text = problem.texts().get(problem.rule());
        String reason = switch (problem.kind()) {
            case VALUE -> rule.via() != null ? valueReason(rule.target(), rule.via(), text) : valueReason(object, rule.field(), text);
            case NOT_FOUND -> rule.via() != null
                    ? "no " + rule.target().apiName() + " entry has " + rule.via().apiName() + " '" + linkedText(rule, text) + "'"
                    : "no " + rule.target().apiName() + " entry has id " + text;
            case DUPLICATE -> "must be unique but row " + problem.ref() + " has it too";
            case TAKEN -> "must be unique but is already used by entry " + problem.ref();
            case REQUIRED -> "is required";
        };
        String value = problem.kind() == ChunkOutcome.Kind.DUPLICATE || problem.kind() == ChunkOutcome.Kind.TAKEN
                ? FieldValues.toText(FieldValues.fromText(object.apiName(), rule.field(), text)) : text;
        return new Refusal(rule.field().apiName(), value, reason);
    }

    /** "customers.email: 'x' is not a valid email address" → "is not a valid email address". */
    private static String valueReason(ObjectDef object, FieldDef field, String text) {
        try {
            FieldValues.fromText(object.apiName(), field, text);
        } catch (CrmException e) {
            String message = e.getMessage();
            String prefix = object.apiName() + "." + field.apiName() + ":";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length()).strip();
                int close = message.indexOf("' ");
                if (message.startsWith("'") && close > 0) {
                    message = message.substring(close + 2);
                }
            }
            return message;
        }
        return "is not a valid " + field.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " value";
    }

    private static String linkedText(ChunkPlan.Rule rule, String text) {
        return FieldValues.toText(FieldValues.fromText(rule.target().apiName(), rule.via(), text));
    }
}
