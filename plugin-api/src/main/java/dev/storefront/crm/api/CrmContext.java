package dev.storefront.crm.api;

import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;
import dev.storefront.crm.api.query.Sort;
import dev.storefront.crm.api.sync.SyncRecord;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to entries for plugin code. Objects and fields are named by api name
 * ({@code customers}, {@code lifetime_value}); an entry is a map of field api name to value, plus
 * {@code id}, {@code created_at} and {@code updated_at}. Values are read and written in the same types
 * as GraphQL's (text, {@link java.math.BigDecimal}, {@link Long}, {@link Boolean},
 * {@link java.time.LocalDate}, {@link java.time.OffsetDateTime}, lists of text, relation = target id).
 * Every write is validated exactly as a GraphQL mutation is.
 */
public interface CrmContext {

    Optional<Map<String, Object>> find(String object, long id);

    /** An object's fields in the current model, by api name, in order; empty when there is no such object. */
    Map<String, FieldKind> fields(String object);

    /** Entries matching {@code filter} (the model behind GraphQL's {@code where}), at most {@code limit}. */
    List<Map<String, Object>> query(String object, Filter filter, List<Sort> sort, int limit);

    Map<String, Object> create(String object, Map<String, Object> values);

    /**
     * Creates one entry per map of {@code values}, each validated as {@link #create} validates one,
     * all or none, in one insert whatever their number; returns them in the order given.
     */
    List<Map<String, Object>> createAll(String object, List<Map<String, Object>> values);

    /**
     * Like {@link #createAll}, but a map holding a value of a unique field that a stored entry, or an
     * earlier map of the list, holds already is left out instead of refused, in the same one insert:
     * for a log that receives the same item more than once. Returns, per map in order, whether it was
     * created.
     */
    List<Boolean> createAbsent(String object, List<Map<String, Object>> values);

    /** Changes only the given fields; a field given as null is cleared. */
    Map<String, Object> update(String object, long id, Map<String, Object> values);

    /**
     * Deletes an entry, as GraphQL's delete mutation does: entries pointing at it through an optional
     * relation are unlinked; a required relation pointing at it refuses the delete.
     */
    void delete(String object, long id);

    /**
     * Deletes the entries of {@code ids} as {@link #delete} does each, in a few statements whatever their
     * number; refused, deleting none, if a required relation still points at one.
     */
    void deleteAll(String object, Collection<Long> ids);

    /** Updates the entry whose unique field {@code uniqueField} holds the same value, or creates one. */
    Map<String, Object> upsert(String object, String uniqueField, Map<String, Object> values);

    /**
     * Writes {@code records} as a sync's page is written: set-based, a few statements per object and
     * shape of record however many there are (so a webhook with thousands of lines holds the write lock
     * for milliseconds, not seconds), each record updating the entry its first key with a value names
     * or creating one, relations given by key ({@code EntryRef}) resolved, objects written before the
     * records that point at them. All or nothing: if a record is refused, nothing is written and the
     * error names each refused record by its position (1 = the first). Joins {@link #inTransaction}.
     */
    void write(List<SyncRecord> records);

    /**
     * Runs {@code work} in one write transaction: every write made through the context it is given is
     * committed together, or none is if it throws.
     */
    <T> T inTransaction(Function<CrmContext, T> work);

    /**
     * Runs one read-only SELECT with {@code ?} parameters and returns its rows as column → value maps.
     * Anything that is not a single SELECT is refused.
     */
    List<Map<String, Object>> sql(String select, Object... parameters);

    /** How the store's SQL engine spells what standard SQL lacks (epoch microseconds, date arithmetic), for {@link #sql}. */
    SqlDialect dialect();

    /**
     * The ids of an object's entries matching {@code where}, given as GraphQL's {@code where} argument
     * (GraphQL field names, e.g. {@code {lifetimeValue: {gt: 500}}}), as a SELECT of one column {@code id}
     * to embed in a query of {@link #sql}. A where that names an unknown field or holds a bad value is
     * refused with the message GraphQL gives for it.
     */
    Selection matching(String object, Map<String, Object> where);

    /** Like {@link #matching(String, Map)} for a {@link Filter} (api names), as {@link #query} takes it. */
    Selection matching(String object, Filter filter);

    /**
     * The condition a rollup field of {@code object} puts on the entries it aggregates, over their
     * unqualified columns, to place in a WHERE of {@link #sql}: e.g. customers' {@code total_orders} gives
     * the counted orders (status not Cancelled in the default model), so a plugin counts what the store
     * counts. {@code TRUE} when the rollup takes every entry; empty when the field is not a rollup.
     */
    Optional<Selection> rollupCondition(String object, String field);

    /**
     * The job ids of the imports into {@code object} that finished after {@code after}, oldest first,
     * read from the host's durable job records: the imports an
     * {@link dev.storefront.crm.api.events.ImportFinished} was raised for, also those whose event was
     * lost because the server stopped just after the import ended.
     */
    List<String> importsFinished(String object, OffsetDateTime after);

    /**
     * Sets fields of many entries at once from one read-only SELECT: the query returns a column {@code id}
     * and one column per field api name in {@code fields}; every row's values are validated like any write
     * and applied in one set-based statement in the current write transaction. Returns the number of
     * entries changed (rows whose values are already equal are not touched).
     */
    long updateFromQuery(String object, List<String> fields, String select, Object... parameters);

    /**
     * Creates one entry per row of one read-only SELECT: the query returns one column per field api
     * name in {@code fields} (fields not returned take their defaults); all rows are validated like
     * any write and inserted in one statement in the current write transaction. Entry listeners hear
     * each creation after commit. Returns the number of entries created.
     */
    long createFromQuery(String object, List<String> fields, String select, Object... parameters);
}
