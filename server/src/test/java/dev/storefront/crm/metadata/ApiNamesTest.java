package dev.storefront.crm.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiNamesTest {

    @Test
    void derivesSnakeCaseNamesFromLabels() {
        assertThat(ApiNames.fromLabel("Lifetime Value")).isEqualTo("lifetime_value");
        assertThat(ApiNames.fromLabel("  Émail (work) ")).isEqualTo("email_work");
        assertThat(ApiNames.fromLabel("3rd Party ID")).isEqualTo("f_3rd_party_id");
    }

    @Test
    void derivesGraphQlNames() {
        assertThat(ApiNames.camel("support_tickets")).isEqualTo("supportTickets");
        assertThat(ApiNames.pascal("order_item")).isEqualTo("OrderItem");
        assertThat(ApiNames.enumValue("Potential Loyal")).isEqualTo("POTENTIAL_LOYAL");
        assertThat(ApiNames.enumValue("1-3 days")).isEqualTo("_1_3_DAYS");
    }

    @Test
    void acceptsOnlySafeNames() {
        assertThat(ApiNames.isValid("customers")).isTrue();
        assertThat(ApiNames.isValid("Customers")).isFalse();
        assertThat(ApiNames.isValid("x\"; DROP TABLE y; --")).isFalse();
    }
}
