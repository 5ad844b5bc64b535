package dev.storefront.crm.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceExpressionTest {

    private static final Map<String, Integer> HEADER = Map.of("billing_first_name", 0, "billing_last_name", 1, "first_name", 2,
            "last_name", 3, "Customer ID", 4);

    private static String eval(String expression, String... cells) {
        List<String> missing = new ArrayList<>();
        SourceExpression parsed = SourceExpression.parse(expression, HEADER, missing);
        assertThat(missing).isEmpty();
        return parsed.evaluate(i -> i < cells.length ? cells[i] : null);
    }

    @Test
    void joinsNonEmptyValuesWithOneSpace() {
        assertThat(eval("billing_first_name + billing_last_name", "Ann", "Lee")).isEqualTo("Ann Lee");
        assertThat(eval("billing_first_name + billing_last_name", " Ann ", "")).isEqualTo("Ann");
        assertThat(eval("billing_first_name + billing_last_name", "", "  ")).isNull();
    }

    @Test
    void fallsBackToTheFirstNonEmptyAlternative() {
        assertThat(eval("billing_first_name + billing_last_name | first_name + last_name", "", "", "Mehmet", "Yılmaz")).isEqualTo("Mehmet Yılmaz");
        assertThat(eval("billing_first_name | first_name", "Bill", "", "Will")).isEqualTo("Bill");
    }

    @Test
    void literalsAndColumnsWithSpacesAndCaseInsensitiveNames() {
        assertThat(eval("last_name + ', ' + first_name", "", "", "Ann", "Lee")).isEqualTo("Lee , Ann");
        assertThat(eval("'USD'")).isEqualTo("USD");
        assertThat(eval("customer id", "", "", "", "", "64")).isEqualTo("64");
    }

    @Test
    void reportsMissingColumns() {
        List<String> missing = new ArrayList<>();
        SourceExpression.parse("billing_email | email", HEADER, missing);
        assertThat(missing).containsExactly("billing_email", "email");
    }
}
