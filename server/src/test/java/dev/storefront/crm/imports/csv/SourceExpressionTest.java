package dev.storefront.crm.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.storage.CellSource;
import dev.storefront.crm.storage.CellSource.Column;
import dev.storefront.crm.storage.CellSource.Literal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceExpressionTest {

    private static final Map<String, Integer> HEADER = Map.of("billing_first_name", 0, "billing_last_name", 1, "first_name", 2,
            "last_name", 3, "Customer ID", 4, "Weight (kg)", 5, "a | b", 6);

    private static CellSource parse(String expression) {
        List<String> missing = new ArrayList<>();
        CellSource parsed = SourceExpression.parse(expression, HEADER, missing, new ArrayList<>());
        assertThat(missing).isEmpty();
        return parsed;
    }

    @Test
    void plusJoinsAndBarFallsBackWithBarBindingLoosest() {
        assertThat(parse("billing_first_name + billing_last_name | first_name + last_name")).isEqualTo(new CellSource.FirstOf(List.of(
                new CellSource.Joined(List.of(new Column(0), new Column(1))), new CellSource.Joined(List.of(new Column(2), new Column(3))))));
    }

    @Test
    void literalsColumnsWithSpacesAndParenthesesAndCaseInsensitiveNames() {
        assertThat(parse("last_name + ', ' + first_name")).isEqualTo(new CellSource.Joined(List.of(new Column(3), new Literal(", "), new Column(2))));
        assertThat(parse("'it''s'")).isEqualTo(new Literal("it's"));
        assertThat(parse("customer id")).isEqualTo(new Column(4));
        assertThat(parse("Weight (kg)")).isEqualTo(new Column(5));
        assertThat(parse("\"a | b\"")).isEqualTo(new Column(6));
        assertThat(parse(SourceExpression.quoted("a | b"))).isEqualTo(new Column(6));
    }

    @Test
    void functionsNest() {
        Map<String, String> statuses = new LinkedHashMap<>();
        statuses.put("completed", "Fulfilled");
        statuses.put("wc-completed", "Fulfilled");
        assertThat(parse("concat('WC-', last_name | first_name)")).isEqualTo(new CellSource.Concat(List.of(new Literal("WC-"),
                new CellSource.FirstOf(List.of(new Column(3), new Column(2))))));
        assertThat(parse("nullif(customer id, '0')")).isEqualTo(new CellSource.NullIf(new Column(4), "0"));
        assertThat(parse("map(first_name, 'completed' = 'Fulfilled', 'wc-completed'='Fulfilled')"))
                .isEqualTo(new CellSource.Translate(new Column(2), statuses));
        assertThat(parse("MONEY( \"Weight (kg)\" )")).isEqualTo(new CellSource.Money(new Column(5)));
        assertThat(parse("ltrim(customer id, '''')")).isEqualTo(new CellSource.TrimStart(new Column(4), "'"));
        assertThat(parse("unless(last_name | first_name, concat('p:', customer id))")).isEqualTo(new CellSource.Unless(
                new CellSource.FirstOf(List.of(new Column(3), new Column(2))), new CellSource.Concat(List.of(new Literal("p:"), new Column(4)))));
        assertThat(parse("day(last_name | first_name)")).isEqualTo(new CellSource.StoreDay(new CellSource.FirstOf(List.of(new Column(3), new Column(2)))));
        assertThat(parse("if(last_name, 'Cancelled') | pick(first_name, 'completed' = 'Fulfilled', 'wc-completed'='Fulfilled')"))
                .isEqualTo(new CellSource.FirstOf(List.of(new CellSource.IfPresent(new Column(3), "Cancelled"),
                        new CellSource.Pick(new Column(2), statuses))));
        assertThat(parse("lowest('id', concat('o', customer id))")).isEqualTo(new CellSource.OnLowestItem("id",
                new CellSource.Concat(List.of(new Literal("o"), new Column(4)))));
    }

    @Test
    void localNamesTheZoneOfTimesWithoutAnOffsetAndRefusesWhatIsNotARegion() {
        assertThat(parse("local(first_name | last_name, 'Europe/Berlin')")).isEqualTo(new CellSource.LocalTime(
                new CellSource.FirstOf(List.of(new Column(2), new Column(3))), "Europe/Berlin"));
        assertThat(parse("local(first_name, 'UTC')")).isEqualTo(new CellSource.LocalTime(new Column(2), "UTC"));
        // Without a zone, the store's (crm.timezone), as day() reads it.
        assertThat(parse("local(first_name)")).isEqualTo(new CellSource.LocalTime(new Column(2), null));
        assertThatThrownBy(() -> parse("local(first_name, '+02:00')")).hasMessage("The mapping source \"local(first_name, '+02:00')\""
                + " cannot be read: '+02:00' is not a time zone; use a region such as Europe/Berlin, or UTC");
        assertThatThrownBy(() -> parse("local(first_name, 'Mars/Base')")).hasMessageEndingWith(
                "'Mars/Base' is not a time zone; use a region such as Europe/Berlin, or UTC");
    }

    @Test
    void aColumnOfAnotherHeaderVariantIsAbsentNotMissingWhenAnAlternativeHasAllItsColumns() {
        List<String> missing = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        assertThat(SourceExpression.parse("\"Accepts Email Marketing\" | first_name", HEADER, missing, absent))
                .isEqualTo(new CellSource.FirstOf(List.of(new Literal(""), new Column(2))));
        assertThat(SourceExpression.parse("ltrim(\"Shopify ID\" | '', '''')", HEADER, missing, absent))
                .isEqualTo(new CellSource.TrimStart(new CellSource.FirstOf(List.of(new Literal(""), new Literal(""))), "'"));
        assertThat(missing).isEmpty();
        assertThat(absent).containsExactly("Accepts Email Marketing", "Shopify ID");
        SourceExpression.parse("billing_email + first_name | email", HEADER, missing, absent);
        assertThat(missing).containsExactly("billing_email", "email");
    }

    @Test
    void reportsMissingColumnsAndUnreadableSources() {
        List<String> missing = new ArrayList<>();
        SourceExpression.parse("billing_email | nullif(email, '')", HEADER, missing, new ArrayList<>());
        assertThat(missing).containsExactly("billing_email", "email");
        assertThatThrownBy(() -> SourceExpression.parse("concat(first_name", HEADER, new ArrayList<>(), new ArrayList<>()))
                .hasMessage("The mapping source \"concat(first_name\" cannot be read: expected ')' at position 18");
        assertThatThrownBy(() -> SourceExpression.parse("map(first_name, 'a' = 'b", HEADER, new ArrayList<>(), new ArrayList<>()))
                .hasMessage("The mapping source \"map(first_name, 'a' = 'b\" cannot be read: a quote ' is never closed");
        assertThatThrownBy(() -> SourceExpression.parse("lowest('id|x', first_name)", HEADER, new ArrayList<>(), new ArrayList<>()))
                .hasMessage("The mapping source \"lowest('id|x', first_name)\" cannot be read: 'id|x' is not an item's key (letters, digits, _ and - only)");
    }
}
