package dev.storefront.crm.imports.csv;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.api.sync.JsonLines;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.jobs.JobError;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.storage.BulkWrite;
import dev.storefront.crm.storage.ChunkOutcome;
import dev.storefront.crm.storage.ChunkRows;
import dev.storefront.crm.storage.ImportChunks;
import dev.storefront.crm.storage.JsonlStaging;
import dev.storefront.crm.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes a range of records of a JSON Lines file ({@link JsonLines}) in the caller's transaction: the
 * file is staged whole by DuckDB on the first range ({@link JsonlStaging}), then each part's mapping
 * converts, checks and writes the range set-based ({@link ImportChunks}), as a CSV import's chunk;
 * Java sees only the refused rows and the lines that are not JSON, which the job reports by line.
 * The computed fields that read what a part wrote are recomputed per part when the file is one range;
 * a file of several ranges has them recomputed over the whole objects by the range that reaches the
 * file's end, in whose transaction the staged tables are also dropped.
 */
public final class JsonLinesWriter {

    /**
     * What a range did: rows read (a line, or an item of a list in it), entries created, changed and left as they were,
     * and entries deleted as children their parents no longer have ({@link JsonLines.Part#replaces}).
     */
    public record Outcome(long records, long created, long updated, long unchanged, long deleted) {
    }

    /** What a part writes from a page holding none of its rows. */
    private static final ChunkOutcome NOTHING = new ChunkOutcome(0, 0, 0, List.of(), new BulkWrite(Set.of(), Map.of()));

    private final ImportChunks chunks;
    private final EntryService entries;
    private final Path staging;

    public JsonLinesWriter(ImportChunks chunks, EntryService entries, Path staging) {
        this.chunks = chunks;
        this.entries = entries;
        this.staging = staging;
    }

    /**
     * Writes the range {@code lines} names in {@code tx}; its first record is record {@code firstRecord} of the job, and
     * each bad record goes to {@code errors}.
     */
    public Outcome write(Transaction tx, MetadataSnapshot model, JsonLines lines, long firstRecord, Consumer<JobError> errors,
                         OffsetDateTime now) {
        // The columns of the records' table, then of each list's table: what the parts' sources name.
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        columns.put(null, new LinkedHashSet<>());
        for (JsonLines.Part part : lines.parts()) {
            columns.computeIfAbsent(part.items(), l -> new LinkedHashSet<>()).addAll(named(part.mapping()));
        }
        JsonlStaging.Layout records = new JsonlStaging.Layout(null, List.copyOf(columns.get(null)));
        List<JsonlStaging.Layout> lists = new ArrayList<>();
        columns.forEach((items, named) -> {
            if (items != null) {
                lists.add(new JsonlStaging.Layout(items, List.copyOf(named)));
            }
        });
        Path linked = staging.resolve("jsonl-" + lines.file().getFileName());
        Optional<JsonlStaging.Staged> found = JsonlStaging.find(tx, linked, lines.idPath(), lines.parentPath(), records, lists);
        JsonlStaging.Staged staged = found.orElseGet(() -> stage(tx, lines, linked, records, lists));
        long from = lines.from();
        long to = from + lines.count();
        long total = JsonlStaging.records(tx, staged.records());
        long first = firstRecord - from;
        // A file of several pages recomputes what reads its rows once, in the last page's transaction, over the
        // whole objects: recomputed per page, nearly every customer was recomputed after each page of orders.
        boolean recomputeAtEnd = total > lines.count();
        List<Long> bad = JsonlStaging.badLines(tx, staged.records(), from, to);
        for (long line : bad) {
            errors.accept(new JobError(first + line, line, null, null, lines.name() + ", line " + line + ": is not valid JSON; it was skipped"));
        }
        long read = bad.size();
        long created = 0;
        long updated = 0;
        long unchanged = 0;
        long deleted = 0;
        List<MappingPlan> plans = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (JsonLines.Part part : lines.parts()) {
            List<String> header = part.items() == null ? records.columns()
                    : lists.stream().filter(l -> l.items().equals(part.items())).findFirst().orElseThrow().columns();
            tables.add(part.items() == null ? staged.records() : staged.items().get(lists.stream().map(JsonlStaging.Layout::items)
                    .toList().indexOf(part.items())));
            plans.add(MappingPlan.resolve(part.mapping(), model, header, new ArrayList<>()));
        }
        Map<Integer, ImportChunks.Naming> namings = namings(tx, model, lines, plans, staged, found.isEmpty());
        for (int p = 0; p < plans.size(); p++) {
            JsonLines.Part part = lines.parts().get(p);
            MappingPlan plan = plans.get(p);
            ImportChunks.Naming naming = namings.get(p);
            ChunkRows rows = JsonlStaging.range(tables.get(p), from, to, part.rows());
            // Most pages hold nothing for some parts (a store's guest orders, refunds): those are not converted at all.
            ChunkOutcome outcome = chunks.reads(tx, plan.chunk(), rows)
                    ? chunks.write(tx, plan.chunk(), entries.computedColumns(model, plan.object()), rows, now, !recomputeAtEnd, naming)
                    : NOTHING;
            // A parent's children may lie in later ranges than it: the ones it no longer has are known at the file's end.
            if (naming != null && naming.relation() != null && to > total) {
                List<Long> unnamed = chunks.unnamedChildren(tx, plan.chunk(), naming.relation(), naming.table());
                Map<Long, ConflictException> kept = entries.deleteAll(plan.object(), unnamed);
                kept.forEach((id, e) -> errors.accept(new JobError(first + from - 1, from, null, null, lines.name() + ": "
                        + plan.object().apiName() + " " + id + " was not deleted although its parent no longer lists it: " + e.getMessage())));
                deleted += unnamed.size() - kept.size();
                ImportChunks.endNaming(tx, naming.table());
            }
            for (ChunkOutcome.Problem problem : outcome.problems()) {
                ChunkReport.Refusal refusal = ChunkReport.refusal(plan.chunk(), problem);
                String column = problem.rule() < 0 ? problem.field() : plan.sources().get(problem.rule());
                errors.accept(new JobError(first + problem.line(), problem.line(), column, refusal.value(), lines.name() + ", line "
                        + problem.line() + ": " + plan.object().apiName() + "." + refusal.field() + ": " + refusal.reason()));
            }
            if (!recomputeAtEnd && outcome.created() + outcome.updated() > 0) {
                entries.bulkWritten(tx, plan.object(), outcome.written());
            }
            read += outcome.created() + outcome.updated() + outcome.unchanged() + outcome.problems().size();
            created += outcome.created();
            updated += outcome.updated();
            unchanged += outcome.unchanged();
        }
        if (to > total) {
            if (recomputeAtEnd) {
                // Whether an earlier page, maybe of a run before a restart, changed entries is not known here.
                lines.parts().stream().map(part -> model.object(part.mapping().object())).distinct()
                        .forEach(object -> entries.allWrittenInBulk(tx, object, true));
            }
            JsonlStaging.drop(tx, staged);
        }
        return new Outcome(read, created, updated, unchanged, deleted);
    }

    /**
     * What each part names for the parts that replace their parents' children ({@link JsonLines.Part#replaces}), by the
     * part's index: a replacing part its rows, and each part before it writing the parents, those it writes. Their
     * tables are made ({@code begin}) by the range that stages the file, in its transaction, so every later range and a
     * run resumed after a restart find them.
     */
    private static Map<Integer, ImportChunks.Naming> namings(Transaction tx, MetadataSnapshot model, JsonLines lines, List<MappingPlan> plans,
                                                            JsonlStaging.Staged staged, boolean begin) {
        Map<Integer, ImportChunks.Naming> namings = new HashMap<>();
        for (int p = 0; p < plans.size(); p++) {
            String replaces = lines.parts().get(p).replaces();
            if (replaces == null) {
                continue;
            }
            FieldDef relation = model.field(plans.get(p).object().apiName(), replaces);
            String table = staged.records() + "_named_" + p;
            if (begin) {
                ImportChunks.beginNaming(tx, plans.get(p).chunk(), relation, table);
            }
            namings.put(p, new ImportChunks.Naming(table, relation));
            for (int parent = 0; parent < p; parent++) {
                if (plans.get(parent).object().apiName().equals(relation.relatedObject())) {
                    namings.put(parent, new ImportChunks.Naming(table, null));
                }
            }
        }
        return namings;
    }

    /**
     * Stages the file, by the first range. DuckDB reads files only in the staging folder: the file is linked
     * there ({@code linked}; copied where a link cannot be made) while it is read, once.
     */
    private JsonlStaging.Staged stage(Transaction tx, JsonLines lines, Path linked, JsonlStaging.Layout records,
                                      List<JsonlStaging.Layout> lists) {
        try {
            try {
                Files.createLink(linked, lines.file());
            } catch (FileAlreadyExistsException e) {
                // A run stopped while it read the file left its link.
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(lines.file(), linked);
            }
            return JsonlStaging.stage(tx, linked, lines.idPath(), lines.parentPath(), records, lists);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage " + lines.name() + " in " + staging, e);
        } finally {
            try {
                Files.deleteIfExists(linked);
            } catch (IOException e) {
                // The next import of the file replaces it.
            }
        }
    }

    /** The columns the mapping's sources and condition name: parsed against no header, every one is missing. */
    private static Set<String> named(ImportMapping mapping) {
        Set<String> named = new LinkedHashSet<>();
        List<String> sources = new ArrayList<>(mapping.columns().values());
        if (mapping.when() != null) {
            sources.add(mapping.when());
        }
        for (String source : sources) {
            List<String> missing = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            SourceExpression.parse(source, new HashMap<>(), missing, absent);
            named.addAll(missing);
            named.addAll(absent);
        }
        return named;
    }
}
