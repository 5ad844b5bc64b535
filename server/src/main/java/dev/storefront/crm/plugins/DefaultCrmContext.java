package dev.storefront.crm.plugins;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;
import dev.storefront.crm.api.query.Sort;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.imports.ImportService;
import dev.storefront.crm.imports.sync.SyncPageWriter;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.PageRequest;
import dev.storefront.crm.storage.BoundSelect;
import dev.storefront.crm.storage.sql.DuckDbDialect;
import dev.storefront.crm.storage.sql.Sql;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link CrmContext} over the entry service, so plugin writes pass every check a GraphQL mutation
 * passes.
 *
 * <p>Queries take the whole filter model of GraphQL's {@code where} (compiled by the same
 * FilterCompiler) and any sort.
 */
final class DefaultCrmContext implements CrmContext {

    private final DuckDb db;
    private final EntryService entries;
    private final Supplier<MetadataSnapshot> model;
    private final BoundSelect sql;
    private final JobRunner jobs;
    private final SyncPageWriter pages;
    private final Clock clock;

    DefaultCrmContext(DuckDb db, EntryService entries, SchemaService schema, JobRunner jobs, SyncPageWriter pages, Clock clock) {
        this(db, entries, schema::current, new BoundSelect(), jobs, pages, clock);
    }

    private DefaultCrmContext(DuckDb db, EntryService entries, Supplier<MetadataSnapshot> model, BoundSelect sql, JobRunner jobs,
                              SyncPageWriter pages, Clock clock) {
        this.db = db;
        this.entries = entries;
        this.model = model;
        this.sql = sql;
        this.jobs = jobs;
        this.pages = pages;
        this.clock = clock;
    }

    /**
     * This context seeing {@code snapshot} as the model: a schema build asks plugins for their SDL with
     * the candidate model, which is committed only after the build succeeds.
     */
    DefaultCrmContext asOf(MetadataSnapshot snapshot) {
        return new DefaultCrmContext(db, entries, () -> snapshot, sql, jobs, pages, clock);
    }

    @Override
    public Optional<Map<String, Object>> find(String object, long id) {
        try {
            return Optional.of(toMap(entries.get(model().object(object), id)));
        } catch (NotFoundException e) {
            if (e.details().containsKey("id")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Map<String, FieldKind> fields(String object) {
        Map<String, FieldKind> fields = new LinkedHashMap<>();
        model().find(object).ifPresent(o -> o.fields().forEach(f -> fields.put(f.apiName(), f.kind())));
        return fields;
    }

    @Override
    public List<Map<String, Object>> query(String object, Filter filter, List<Sort> sort, int limit) {
        MetadataSnapshot model = model();
        return entries.page(model, model.object(object), new ListQuery(filter, sort), PageRequest.first(limit))
                .entries().stream().map(DefaultCrmContext::toMap).toList();
    }

    @Override
    public Map<String, Object> create(String object, Map<String, Object> values) {
        return toMap(entries.create(model().object(object), values));
    }

    @Override
    public List<Map<String, Object>> createAll(String object, List<Map<String, Object>> values) {
        return entries.createAll(model().object(object), values).stream().map(DefaultCrmContext::toMap).toList();
    }

    @Override
    public List<Boolean> createAbsent(String object, List<Map<String, Object>> values) {
        return entries.createAbsent(model().object(object), values);
    }

    @Override
    public Map<String, Object> update(String object, long id, Map<String, Object> values) {
        return toMap(entries.update(model().object(object), id, values));
    }

    @Override
    public void delete(String object, long id) {
        entries.delete(model().object(object), id);
    }

    @Override
    public void deleteAll(String object, Collection<Long> ids) {
        db.write(tx -> {
            Map<Long, ConflictException> kept = entries.deleteAll(model().object(object), ids);
            if (!kept.isEmpty()) {
                // Thrown inside the transaction: the entries deleted beside the kept ones are restored with it.
                throw kept.values().iterator().next();
            }
            return null;
        });
    }

    @Override
    public Map<String, Object> upsert(String object, String uniqueField, Map<String, Object> values) {
        return toMap(entries.upsert(model().object(object), values, uniqueField));
    }

    @Override
    public void write(List<SyncRecord> records) {
        db.write(tx -> {
            List<String> refused = new ArrayList<>();
            pages.write(tx, model(), records, 1, (record, field, value, reason) -> refused.add("record " + record + ": " + reason),
                    OffsetDateTime.now(clock));
            if (!refused.isEmpty()) {
                // Thrown inside the transaction: the records written beside the refused ones are rolled back with it.
                throw new CrmException(ErrorCode.VALIDATION, "Nothing was written: " + String.join("; ", refused));
            }
            return null;
        });
    }

    @Override
    public <T> T inTransaction(Function<CrmContext, T> work) {
        return db.write(tx -> work.apply(this));
    }

    @Override
    public List<Map<String, Object>> sql(String select, Object... parameters) {
        return db.read(tx -> sql.select(tx, select, parameters));
    }

    @Override
    public SqlDialect dialect() {
        return DuckDbDialect.INSTANCE;
    }

    @Override
    public Selection matching(String object, Map<String, Object> where) {
        MetadataSnapshot snapshot = model();
        return matching(snapshot, snapshot.object(object), new WhereMapper(snapshot).filter(snapshot.object(object), where));
    }

    @Override
    public Selection matching(String object, Filter filter) {
        MetadataSnapshot snapshot = model();
        return matching(snapshot, snapshot.object(object), filter);
    }

    private Selection matching(MetadataSnapshot snapshot, ObjectDef target, Filter filter) {
        Sql ids = entries.compiler(snapshot).idsMatching(target, filter);
        return new Selection(ids.text(), ids.binds());
    }

    @Override
    public Optional<Selection> rollupCondition(String object, String field) {
        MetadataSnapshot snapshot = model();
        return snapshot.find(object).flatMap(o -> o.field(field)).map(FieldDef::computed)
                .filter(Computed.Rollup.class::isInstance).map(Computed.Rollup.class::cast).map(rollup -> {
                    ObjectDef from = snapshot.object(rollup.from());
                    Sql where = entries.compiler(snapshot).conditionOf(from, new WhereMapper(snapshot).filter(from, rollup.where()));
                    return new Selection(where.text(), where.binds());
                });
    }

    @Override
    public List<String> importsFinished(String object, OffsetDateTime after) {
        return ImportService.finishedImportsOf(jobs, object, after);
    }

    @Override
    public long updateFromQuery(String object, List<String> fields, String select, Object... parameters) {
        return entries.updateFromQuery(model().object(object), fields, select, Arrays.asList(parameters));
    }

    @Override
    public long createFromQuery(String object, List<String> fields, String select, Object... parameters) {
        return entries.createFromQuery(model().object(object), fields, select, Arrays.asList(parameters));
    }

    private MetadataSnapshot model() {
        return model.get();
    }

    static Map<String, Object> toMap(Entry entry) {
        return new LinkedHashMap<>(new EntryView(entry));
    }
}
