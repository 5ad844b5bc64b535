package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.query.Sort;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact SQL text and bind values that filters, orderings and cursors render to, for a small
 * model: customers (name, segment, lifetime value) and their orders. A change in what is rendered
 * shows here first, line by line.
 */
class GoldenSqlTest {

    private static final ObjectDef CUSTOMERS = new ObjectDef("customers", "customer", "Customer", "Customers", null, List.of(
            new FieldDef("name", "Name", FieldKind.TEXT, false, false, null, List.of(), null, 0, null),
            new FieldDef("segment", "Segment", FieldKind.ENUM, false, false, null, List.of("VIP", "At Risk"), null, 1, null),
            new FieldDef("lifetime_value", "Lifetime Value", FieldKind.NUMBER, false, false, null, List.of(), null, 2, null)));
    private static final ObjectDef ORDERS = new ObjectDef("orders", "order", "Order", "Orders", null, List.of(
            new FieldDef("customer", "Customer", FieldKind.RELATION, false, false, null, List.of(), "customers", 0, null),
            new FieldDef("total", "Total", FieldKind.NUMBER, false, false, null, List.of(), null, 1, null)));
    private static final MetadataSnapshot MODEL = new MetadataSnapshot(1, List.of(CUSTOMERS, ORDERS));
    private static final FilterCompiler COMPILER = new FilterCompiler(MODEL, LocalDate.of(2026, 11, 25));

    private static Sql where(Condition condition) {
        return new SqlBuilder().sql("SELECT id FROM t").where(condition).build();
    }

    private static Sql filter(ObjectDef object, Filter filter) {
        return where(COMPILER.compile(object, filter));
    }

    @Test
    void comparisonsBindConvertedValues() {
        Sql sql = filter(CUSTOMERS, Filter.and(
                Filter.compare("name", Operator.CONTAINS, "ada"),
                Filter.compare("segment", Operator.IN, List.of("VIP", "AT_RISK")),
                Filter.compare("lifetime_value", Operator.GT, 500)));
        assertThat(sql.text()).isEqualTo("SELECT id FROM t WHERE (\"name\" ILIKE ? ESCAPE '\\') AND (\"segment\" IN (?, ?))"
                + " AND (\"lifetime_value\" > ?)");
        assertThat(sql.binds()).containsExactly("%ada%", "VIP", "At Risk", new BigDecimal("500.0000"));
    }

    @Test
    void notAndNeqCountEmptyValuesAsDifferent() {
        Sql sql = filter(CUSTOMERS, Filter.or(new Filter.Not(Filter.compare("name", Operator.EQ, "Ada")),
                Filter.compare("segment", Operator.NEQ, "VIP")));
        assertThat(sql.text()).isEqualTo("SELECT id FROM t WHERE ((\"name\" = ?) IS NOT TRUE) OR (\"segment\" IS DISTINCT FROM ?)");
        assertThat(sql.binds()).containsExactly("Ada", "VIP");
    }

    @Test
    void throughARelationAndThroughAReverseList() {
        Sql related = filter(ORDERS, new Filter.Related("customer", Filter.compare("segment", Operator.EQ, "VIP")));
        assertThat(related.text()).isEqualTo("SELECT id FROM t WHERE \"customer_id\" IN (SELECT \"id\" FROM \"customers\" WHERE \"segment\" = ?)");
        assertThat(related.binds()).containsExactly("VIP");

        Sql counted = filter(CUSTOMERS, new Filter.Count("orders", Filter.compare("total", Operator.GTE, 100), Operator.GT, 2));
        assertThat(counted.text()).isEqualTo("SELECT id FROM t WHERE \"id\" IN (SELECT \"customer_id\" FROM \"orders\""
                + " WHERE ((\"customer_id\" IS NULL) IS NOT TRUE) AND (\"total\" >= ?) GROUP BY \"customer_id\" HAVING count(*) > ?)");
        assertThat(counted.binds()).containsExactly(new BigDecimal("100.0000"), 2L);

        Sql none = filter(CUSTOMERS, new Filter.None("orders", null));
        assertThat(none.text()).isEqualTo("SELECT id FROM t WHERE \"id\" NOT IN (SELECT \"customer_id\" FROM \"orders\""
                + " WHERE (\"customer_id\" IS NULL) IS NOT TRUE)");
        assertThat(none.binds()).isEmpty();
    }

    @Test
    void relativeDatesAreFixedAgainstTheCompilersToday() {
        ObjectDef tickets = new ObjectDef("tickets", "ticket", "Ticket", "Tickets", null, List.of(
                new FieldDef("opened_on", "Opened On", FieldKind.DATE, false, false, null, List.of(), null, 0, null)));
        Sql sql = where(new FilterCompiler(new MetadataSnapshot(1, List.of(tickets)), LocalDate.of(2026, 11, 25))
                .compile(tickets, Filter.compare("opened_on", Operator.WITHIN_LAST_DAYS, 30)));
        assertThat(sql.text()).isEqualTo("SELECT id FROM t WHERE \"opened_on\" >= ?");
        assertThat(sql.binds()).containsExactly(LocalDate.of(2026, 10, 26));
    }

    @Test
    void aFilterOnAnUnknownFieldIsRefusedByName() {
        assertThatThrownBy(() -> COMPILER.compile(CUSTOMERS, Filter.compare("nope", Operator.EQ, 1)))
                .isInstanceOf(CrmException.class).hasMessage("customers has no field 'nope'");
    }

    private static String orderBy(Ordering ordering) {
        SqlBuilder out = new SqlBuilder().sql("ORDER BY ");
        ordering.renderOrderBy(out);
        return out.build().text();
    }

    @Test
    void everyDirectionAndTheIdAlwaysLast() {
        assertThat(orderBy(Ordering.of(CUSTOMERS, List.of()))).isEqualTo("ORDER BY \"id\" ASC NULLS LAST");
        assertThat(orderBy(Ordering.of(CUSTOMERS, List.of(Sort.desc("lifetime_value"), Sort.asc("name")))))
                .isEqualTo("ORDER BY \"lifetime_value\" DESC NULLS LAST, \"name\" ASC NULLS LAST, \"id\" ASC NULLS LAST");
        assertThat(orderBy(Ordering.of(CUSTOMERS, List.of(new Sort("segment", Sort.Direction.ASC, Sort.Nulls.FIRST)))))
                .isEqualTo("ORDER BY \"segment\" ASC NULLS FIRST, \"id\" ASC NULLS LAST");
        assertThat(orderBy(Ordering.of(CUSTOMERS, List.of(Sort.desc("created_at")))))
                .isEqualTo("ORDER BY \"created_at\" DESC NULLS LAST, \"id\" ASC NULLS LAST");
    }

    @Test
    void anIdKeyTakesItsDirectionAndEndsTheKeys() {
        assertThat(orderBy(Ordering.of(CUSTOMERS, List.of(Sort.desc("id"))))).isEqualTo("ORDER BY \"id\" DESC NULLS LAST");
        assertThat(orderBy(Ordering.of(CUSTOMERS, List.of(Sort.asc("name"), Sort.desc("id"), Sort.asc("lifetime_value")))))
                .isEqualTo("ORDER BY \"name\" ASC NULLS LAST, \"id\" DESC NULLS LAST");
        assertThat(Ordering.of(CUSTOMERS, List.of(Sort.desc("id"))).signature()).containsExactly("-id");
    }

    @Test
    void aCursorSelectsWhatComesAfterItInItsOrdering() {
        Ordering ordering = Ordering.of(CUSTOMERS, List.of(Sort.desc("lifetime_value")));
        Entry entry = new Entry("customers", 17, null, null, Map.of("lifetime_value", new BigDecimal("250.5000")));
        String cursor = ordering.cursorOf(entry);
        assertThat(cursor).isEqualTo("eyJzaWduYXR1cmUiOlsiLWxpZmV0aW1lX3ZhbHVlIiwiK2lkIl0sInZhbHVlcyI6WyIyNTAuNSJdLCJpZCI6MTd9");

        Sql after = where(ordering.after(CursorCodec.decode(cursor, "after")));
        assertThat(after.text()).isEqualTo("SELECT id FROM t WHERE ((\"lifetime_value\" < ?) OR (\"lifetime_value\" IS NULL))"
                + " OR ((\"lifetime_value\" IS NOT DISTINCT FROM ?) AND ((\"id\" > ?) OR (\"id\" IS NULL)))");
        assertThat(after.binds()).containsExactly(new BigDecimal("250.5000"), new BigDecimal("250.5000"), 17L);
        Sql before = where(ordering.before(CursorCodec.decode(cursor, "before")));
        assertThat(before.text()).isEqualTo("SELECT id FROM t WHERE (\"lifetime_value\" > ?)"
                + " OR ((\"lifetime_value\" IS NOT DISTINCT FROM ?) AND (\"id\" < ?))");
        assertThat(before.binds()).containsExactly(new BigDecimal("250.5000"), new BigDecimal("250.5000"), 17L);

        Sql byIdDescending = where(Ordering.of(CUSTOMERS, List.of(Sort.desc("id")))
                .after(CursorCodec.decode(Ordering.of(CUSTOMERS, List.of(Sort.desc("id"))).cursorOf(entry), "after")));
        assertThat(byIdDescending.text()).isEqualTo("SELECT id FROM t WHERE (\"id\" < ?) OR (\"id\" IS NULL)");
        assertThat(byIdDescending.binds()).containsExactly(17L);
    }

    @Test
    void cursorsRoundTripAndForeignTextIsRefused() {
        String encoded = CursorCodec.encode(List.of("-lifetime_value", "+id"), java.util.Arrays.asList("250.5", null), 17);
        assertThat(encoded).isEqualTo("eyJzaWduYXR1cmUiOlsiLWxpZmV0aW1lX3ZhbHVlIiwiK2lkIl0sInZhbHVlcyI6WyIyNTAuNSIsbnVsbF0sImlkIjoxN30");
        assertThat(CursorCodec.decode(encoded, "after")).isEqualTo(new Cursor(List.of("-lifetime_value", "+id"),
                java.util.Arrays.asList("250.5", null), 17));
        assertThatThrownBy(() -> CursorCodec.decode("not a cursor", "after")).isInstanceOf(CrmException.class)
                .hasMessage("'after' is not a cursor this API gave out");
        assertThatThrownBy(() -> Ordering.of(CUSTOMERS, List.of(Sort.asc("name"))).after(CursorCodec.decode(encoded, "after")))
                .isInstanceOf(CrmException.class).hasMessage("'after' is a cursor of a different ordering");
    }
}
