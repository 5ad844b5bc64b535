package dev.storefront.crm.storage.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlBuilderTest {

    @Test
    void quotesIdentifiersAndBindsValues() {
        Sql sql = new SqlBuilder().sql("SELECT ").idents(List.of("id", "email")).sql(" FROM ").ident("customers")
                .where(Condition.and(Condition.eq("email", "a'; DROP TABLE x; --"),
                        Condition.compare("lifetime_value", Condition.Operator.GT, 500),
                        Condition.in("id", List.of(1L, 2L)), Condition.isNull("phone")))
                .build();
        assertThat(sql.text()).isEqualTo("SELECT \"id\", \"email\" FROM \"customers\" WHERE (\"email\" = ?)"
                + " AND (\"lifetime_value\" > ?) AND (\"id\" IN (?, ?)) AND (\"phone\" IS NULL)");
        assertThat(sql.binds()).containsExactly("a'; DROP TABLE x; --", 500, 1L, 2L);
    }

    @Test
    void alwaysDropsOutAndAnEmptyInMatchesNothing() {
        assertThat(new SqlBuilder().sql("SELECT 1").where(Condition.always()).build().text()).isEqualTo("SELECT 1");
        assertThat(new SqlBuilder().sql("SELECT 1").where(Condition.in("id", List.of())).build().text())
                .isEqualTo("SELECT 1 WHERE FALSE");
    }

    @Test
    void notIsTwoValuedSoEmptyValuesMatchTheNegation() {
        Sql sql = new SqlBuilder().sql("SELECT 1").where(Condition.not(Condition.eq("active", true))).build();
        assertThat(sql.text()).isEqualTo("SELECT 1 WHERE (\"active\" = ?) IS NOT TRUE");
    }

    @Test
    void aRestrictedConditionLooksOnlyAtRowsLinkedToTheOuterRowsItIsAskedFor() {
        Condition neverRefunded = Condition.and(Condition.compare("status", Condition.Operator.DISTINCT, "Cancelled"),
                Condition.inSelect("id", true, Condition.SubSelect.of("order_id", "returns", Condition.eq("resolution", "Refund"))));
        Sql sql = new SqlBuilder().sql("SELECT 1 FROM \"orders\"")
                .where(Condition.restricted(neverRefunded, "orders", Condition.in("customer_id", List.of(7L)))).build();
        assertThat(sql.text()).isEqualTo("SELECT 1 FROM \"orders\" WHERE (\"status\" IS DISTINCT FROM ?) AND (\"id\" NOT IN ("
                + "SELECT \"order_id\" FROM \"returns\" WHERE (\"resolution\" = ?) AND (\"order_id\" IN (SELECT \"id\" FROM \"orders\""
                + " WHERE \"customer_id\" IN (?)))))");
        assertThat(sql.binds()).containsExactly("Cancelled", "Refund", 7L);
    }

    @Test
    void refusesUnsafeIdentifiers() {
        assertThatThrownBy(() -> Ident.of("name\" OR 1=1 --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ident.of("Customers")).isInstanceOf(IllegalArgumentException.class);
    }
}
