package dev.storefront.crm.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldValuesTest {

    private static FieldDef field(FieldKind kind, String... options) {
        return new FieldDef("f", "F", kind, false, false, null, List.of(options), null, 0, null);
    }

    private static Object convert(FieldKind kind, Object raw, String... options) {
        return FieldValues.convert("things", field(kind, options), raw);
    }

    @Test
    void convertsEveryKindToItsStoredType() {
        assertThat(convert(FieldKind.TEXT, "Hello")).isEqualTo("Hello");
        assertThat(convert(FieldKind.RICHTEXT, "<b>x</b>")).isEqualTo("<b>x</b>");
        assertThat(convert(FieldKind.EMAIL, " Ann@Example.COM ")).isEqualTo("ann@example.com");
        assertThat(convert(FieldKind.EMAIL, "a.b+c@mail.shop.example.co.uk")).isEqualTo("a.b+c@mail.shop.example.co.uk");
        assertThat(convert(FieldKind.EMAIL, ".ann.@b.c")).isEqualTo(".ann.@b.c");
        assertThat(convert(FieldKind.EMAIL, "jörg@müller.de")).isEqualTo("jörg@müller.de");
        assertThat(convert(FieldKind.PHONE, "+1 212-555-0147")).isEqualTo("+1 212-555-0147");
        assertThat(convert(FieldKind.URL, "https://shop.example/p?id=1")).isEqualTo("https://shop.example/p?id=1");
        assertThat(convert(FieldKind.NUMBER, 12.5)).isEqualTo(new BigDecimal("12.5000"));
        assertThat(convert(FieldKind.NUMBER, "1284.50")).isEqualTo(new BigDecimal("1284.5000"));
        assertThat(convert(FieldKind.INTEGER, 42)).isEqualTo(42L);
        assertThat(convert(FieldKind.INTEGER, "-7")).isEqualTo(-7L);
        assertThat(convert(FieldKind.BOOLEAN, "yes")).isEqualTo(true);
        assertThat(convert(FieldKind.DATE, "2025-03-31")).isEqualTo(LocalDate.of(2025, 3, 31));
        assertThat(convert(FieldKind.DATETIME, "2025-03-03 14:22:07 -0500"))
                .isEqualTo(OffsetDateTime.parse("2025-03-03T19:22:07Z"));
        assertThat(convert(FieldKind.DATETIME, "2025-03-03T14:22:07-05:00"))
                .isEqualTo(OffsetDateTime.parse("2025-03-03T19:22:07Z"));
        assertThat(convert(FieldKind.DATETIME, "2025-03-03 19:22:07.25+00"))
                .isEqualTo(OffsetDateTime.parse("2025-03-03T19:22:07.25Z"));
        assertThat(convert(FieldKind.DATETIME, "2025-03-03 20:22:07+01:00"))
                .isEqualTo(OffsetDateTime.parse("2025-03-03T19:22:07Z"));
        assertThat(convert(FieldKind.ENUM, "AT_RISK", "VIP", "At Risk")).isEqualTo("At Risk");
        assertThat(convert(FieldKind.ENUM, "vip", "VIP", "At Risk")).isEqualTo("VIP");
        assertThat(convert(FieldKind.MULTI_ENUM, List.of("Red", "BLUE", "Red"), "Red", "Blue")).isEqualTo(List.of("Red", "Blue"));
        assertThat(convert(FieldKind.TAGS, List.of(" vip ", "b2b", "vip", ""))).isEqualTo(List.of("vip", "b2b"));
        assertThat(convert(FieldKind.TAGS, new Object[] {"b2b", " b2b", 7})).isEqualTo(List.of("b2b", "7"));
        assertThat(convert(FieldKind.TAGS, "solo")).isEqualTo(List.of("solo"));
        assertThat(convert(FieldKind.RELATION, "17")).isEqualTo(17L);
    }

    /** The check of one address and the pattern an import applies in SQL are one rule. */
    @Test
    void theEmailCheckAgreesWithTheImportsPattern() {
        Pattern pattern = Pattern.compile(FieldValues.EMAIL_PATTERN);
        for (String email : List.of("ann@example.com", "a.b+c@mail.shop.example.co.uk", ".ann.@b.c", "jörg@müller.de", "a@b.c",
                "ann@", "@example.com", "ann@example", "ann@.example.com", "ann@example..com", "ann@example.com.", "ann@bob@example.com",
                "ann b@example.com", "ann@exa\tmple.com", "ann@exa\u000Bmple.com", "ann@exa\rmple.com", "ann@exa\fmple.com",
                "ann@exa\nmple.com", "ann@example.com ", "", "@", "a@.", "a@b.c@", "a@b\u00A0c.d")) {
            assertThat(FieldValues.isEmail(email)).as(email).isEqualTo(pattern.matcher(email).matches());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "EMAIL    | ann@         | is not a valid email address",
            "EMAIL    | ann example.com | is not a valid email address",
            "EMAIL    | @example.com | is not a valid email address",
            "EMAIL    | ann@example  | is not a valid email address",
            "EMAIL    | ann@.example.com | is not a valid email address",
            "EMAIL    | ann@example..com | is not a valid email address",
            "EMAIL    | ann@example.com. | is not a valid email address",
            "EMAIL    | ann@bob@example.com | is not a valid email address",
            "EMAIL    | ann b@example.com | is not a valid email address",
            "EMAIL    | ann@exa	mple.com | is not a valid email address",
            "PHONE    | call me      | is not a valid phone number",
            "PHONE    | 12345        | is not a valid phone number",
            "PHONE    | 1.23457E+11  | is a number in scientific notation, as Excel shows long numbers",
            "PHONE    | 4.91511E+12  | its last digits are lost",
            "URL      | ftp://x.org  | is not a valid http(s) URL",
            "URL      | not a url    | is not a valid http(s) URL",
            "NUMBER   | 12,5x        | is not a number",
            "NUMBER   | 123456789012345 | is too large",
            "INTEGER  | 2.5          | is not a whole number",
            "INTEGER  | 1.23457E+11  | is a number in scientific notation",
            "BOOLEAN  | maybe        | is not a boolean",
            "DATE     | 2025-13-01   | is not a date",
            "DATETIME | yesterday    | is not a date-time",
            "ENUM     | Purple       | is not one of the options: Red, Blue",
            "RELATION | abc          | is not an entry id"})
    void refusesMalformedValuesNamingObjectFieldAndValue(FieldKind kind, String raw, String problem) {
        assertThatThrownBy(() -> convert(kind, raw, "Red", "Blue"))
                .isInstanceOfSatisfying(CrmException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).startsWith("things.f: '" + raw + "' ").contains(problem);
                    assertThat(e.details()).containsEntry("object", "things").containsEntry("field", "f").containsEntry("value", raw);
                });
    }

    @Test
    void refusesAnEmptyItemOfAListByName() {
        for (Object raw : List.of(Arrays.asList("vip", null), new Object[] {"Red", null})) {
            for (FieldKind kind : List.of(FieldKind.TAGS, FieldKind.MULTI_ENUM)) {
                assertThatThrownBy(() -> convert(kind, raw, "Red", "Blue"))
                        .isInstanceOfSatisfying(CrmException.class, e -> assertThat(e.getMessage())
                                .startsWith("things.f: ").endsWith("contains an empty item"));
            }
        }
    }

    @Test
    void textRoundTripsThroughFromText() {
        FieldDef tags = field(FieldKind.TAGS);
        assertThat(FieldValues.fromText("things", tags, FieldValues.toText(List.of("a, b", "c\"d"))))
                .isEqualTo(List.of("a, b", "c\"d"));
        assertThat(FieldValues.fromText("things", tags, "x, y")).isEqualTo(List.of("x", "y"));
        assertThat(FieldValues.fromText("things", field(FieldKind.NUMBER), "")).isNull();
        assertThat(FieldValues.toText(new BigDecimal("12.5000"))).isEqualTo("12.5");
        assertThat(FieldValues.toText(OffsetDateTime.parse("2025-01-03T09:30+01:00"))).isEqualTo("2025-01-03T08:30:00Z");
    }
}
