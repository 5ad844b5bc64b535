package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each filter operator on each kind of field, over HTTP, against the rows the test itself expects:
 * the expected ids are computed here in Java from the values the test wrote, never by the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FiltersE2EIT extends E2ESupport {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final List<String> COLORS = List.of("Red", "Green", "Deep Blue");
    private static final List<String> WORDS = List.of("Alpha", "beta", "Gamma 50%", "delta_x", "Epsilon");

    /** What the test wrote, by id. */
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private String things;
    private String notes;

    record Row(String id, String name, BigDecimal price, Long qty, Boolean active, LocalDate day, OffsetDateTime seen,
               String color, List<String> sizes, List<String> labels, String email, int group, List<LocalDate> noteDays) {
    }

    @BeforeAll
    void writeRows() {
        connect();
        things = unique("things");
        notes = unique("tnotes");
        createObject(things, List.of(field("Name", "TEXT"), field("Price", "NUMBER"), field("Qty", "INTEGER"),
                field("Active", "BOOLEAN"), field("Day", "DATE"), field("Seen", "DATETIME"),
                field("Color", "ENUM", "options", COLORS), field("Sizes", "MULTI_ENUM", "options", List.of("S", "M", "L")),
                field("Labels", "TAGS"), field("Email", "EMAIL"), field("Grp", "INTEGER")));
        createObject(notes, List.of(field("Thing", "RELATION", "relatedObject", things), field("Day", "DATE")));
        Random random = new Random(7);
        List<Map<String, Object>> inputs = new ArrayList<>();
        List<Row> pending = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Row row = new Row(null, i % 7 == 0 ? null : WORDS.get(i % WORDS.size()) + " " + i,
                    i % 6 == 0 ? null : BigDecimal.valueOf(random.nextInt(20000), 2),
                    i % 5 == 0 ? null : (long) random.nextInt(10),
                    i % 4 == 0 ? null : random.nextBoolean(),
                    i % 9 == 0 ? null : TODAY.minusDays(random.nextInt(400)),
                    i % 8 == 0 ? null : TODAY.minusDays(random.nextInt(400)).atTime(random.nextInt(24), 0).atOffset(ZoneOffset.UTC),
                    i % 10 == 0 ? null : COLORS.get(random.nextInt(COLORS.size())),
                    i % 3 == 0 ? null : randomSubset(random, List.of("S", "M", "L")),
                    i % 11 == 0 ? null : randomSubset(random, List.of("vip", "b2b", "new")),
                    "person" + i + "@" + (i % 2 == 0 ? "example.com" : "shop.example"),
                    i % 4, randomDays(random));
            pending.add(row);
            inputs.add(input(row));
        }
        List<String> ids = run("mutation($in: [" + ApiNames.pascal(things + "_item") + "CreateInput!]!) { create"
                + ApiNames.pascal(things) + "(inputs: $in) { id } }", Map.of("in", inputs))
                .path("create" + ApiNames.pascal(things) + "[*].id").entityList(String.class).get();
        List<Map<String, Object>> noteInputs = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Row row = pending.get(i);
            Row stored = new Row(ids.get(i), row.name(), row.price(), row.qty(), row.active(), row.day(), row.seen(), row.color(),
                    row.sizes(), row.labels(), row.email(), row.group(), row.noteDays());
            rows.put(stored.id(), stored);
            row.noteDays().forEach(day -> noteInputs.add(Map.of("thingId", stored.id(), "day", day.toString())));
        }
        run("mutation($in: [" + ApiNames.pascal(notes + "_item") + "CreateInput!]!) { create" + ApiNames.pascal(notes)
                + "(inputs: $in) { id } }", Map.of("in", noteInputs));
    }

    private static List<String> randomSubset(Random random, List<String> options) {
        return options.stream().filter(o -> random.nextBoolean()).toList();
    }

    private static List<LocalDate> randomDays(Random random) {
        List<LocalDate> days = new ArrayList<>();
        int count = random.nextInt(5);
        for (int n = 0; n < count; n++) {
            days.add(TODAY.minusDays(random.nextInt(365)));
        }
        return days;
    }

    private static Map<String, Object> input(Row row) {
        Map<String, Object> input = new HashMap<>();
        input.put("name", row.name());
        input.put("price", row.price() == null ? null : row.price().doubleValue());
        input.put("qty", row.qty());
        input.put("active", row.active());
        input.put("day", row.day() == null ? null : row.day().toString());
        input.put("seen", row.seen() == null ? null : row.seen().toString());
        input.put("color", row.color() == null ? null : ApiNames.enumValue(row.color()));
        input.put("sizes", row.sizes());
        input.put("labels", row.labels());
        input.put("email", row.email());
        input.put("grp", row.group());
        return input;
    }

    private List<String> idsMatching(String where) {
        String list = ApiNames.camel(things);
        return run("{ " + list + "(first: 1000, where: " + where + ") { totalCount nodes { id } } }")
                .path(list + ".nodes[*].id").entityList(String.class).get();
    }

    private List<String> expected(Predicate<Row> predicate) {
        return rows.values().stream().filter(predicate).map(Row::id).toList();
    }

    private static int compare(BigDecimal a, double b) {
        return a.compareTo(BigDecimal.valueOf(b));
    }

    Stream<Arguments> cases() {
        LocalDate d90 = TODAY.minusDays(90);
        return Stream.of(
                Arguments.of("{ name: { eq: \"Alpha 5\" } }", (Predicate<Row>) r -> "Alpha 5".equals(r.name())),
                Arguments.of("{ name: { neq: \"Alpha 5\" } }", (Predicate<Row>) r -> !"Alpha 5".equals(r.name())),
                Arguments.of("{ name: { in: [\"Alpha 5\", \"beta 6\"] } }", (Predicate<Row>) r -> r.name() != null && List.of("Alpha 5", "beta 6").contains(r.name())),
                Arguments.of("{ name: { notIn: [\"Alpha 5\", \"beta 6\"] } }", (Predicate<Row>) r -> r.name() == null || !List.of("Alpha 5", "beta 6").contains(r.name())),
                Arguments.of("{ name: { isNull: true } }", (Predicate<Row>) r -> r.name() == null),
                Arguments.of("{ name: { isNull: false } }", (Predicate<Row>) r -> r.name() != null),
                Arguments.of("{ name: { contains: \"ALP\" } }", (Predicate<Row>) r -> r.name() != null && r.name().toLowerCase().contains("alp")),
                Arguments.of("{ name: { contains: \"50%\" } }", (Predicate<Row>) r -> r.name() != null && r.name().contains("50%")),
                Arguments.of("{ name: { contains: \"a_x\" } }", (Predicate<Row>) r -> r.name() != null && r.name().contains("a_x")),
                Arguments.of("{ name: { startsWith: \"gamma\" } }", (Predicate<Row>) r -> r.name() != null && r.name().toLowerCase().startsWith("gamma")),
                Arguments.of("{ name: { endsWith: \"1\" } }", (Predicate<Row>) r -> r.name() != null && r.name().endsWith("1")),
                Arguments.of("{ email: { endsWith: \"@SHOP.example\" } }", (Predicate<Row>) r -> r.email().endsWith("@shop.example")),
                Arguments.of("{ price: { gt: 100 } }", (Predicate<Row>) r -> r.price() != null && compare(r.price(), 100) > 0),
                Arguments.of("{ price: { gte: 50.5, lt: 150 } }", (Predicate<Row>) r -> r.price() != null && compare(r.price(), 50.5) >= 0 && compare(r.price(), 150) < 0),
                Arguments.of("{ price: { lte: 20 } }", (Predicate<Row>) r -> r.price() != null && compare(r.price(), 20) <= 0),
                Arguments.of("{ price: { between: [10, 60] } }", (Predicate<Row>) r -> r.price() != null && compare(r.price(), 10) >= 0 && compare(r.price(), 60) <= 0),
                Arguments.of("{ price: { isNull: true } }", (Predicate<Row>) r -> r.price() == null),
                Arguments.of("{ qty: { eq: 3 } }", (Predicate<Row>) r -> Objects.equals(r.qty(), 3L)),
                Arguments.of("{ qty: { neq: 3 } }", (Predicate<Row>) r -> !Objects.equals(r.qty(), 3L)),
                Arguments.of("{ qty: { in: [1, 2] } }", (Predicate<Row>) r -> r.qty() != null && (r.qty() == 1 || r.qty() == 2)),
                Arguments.of("{ qty: { gt: 4, lte: 8 } }", (Predicate<Row>) r -> r.qty() != null && r.qty() > 4 && r.qty() <= 8),
                Arguments.of("{ qty: { between: [2, 4] } }", (Predicate<Row>) r -> r.qty() != null && r.qty() >= 2 && r.qty() <= 4),
                Arguments.of("{ active: { eq: true } }", (Predicate<Row>) r -> Boolean.TRUE.equals(r.active())),
                Arguments.of("{ active: { neq: true } }", (Predicate<Row>) r -> !Boolean.TRUE.equals(r.active())),
                Arguments.of("{ active: { isNull: true } }", (Predicate<Row>) r -> r.active() == null),
                Arguments.of("{ day: { gte: \"" + d90 + "\" } }", (Predicate<Row>) r -> r.day() != null && !r.day().isBefore(d90)),
                Arguments.of("{ day: { withinLastDays: 90 } }", (Predicate<Row>) r -> r.day() != null && !r.day().isBefore(d90)),
                Arguments.of("{ day: { moreThanDaysAgo: 90 } }", (Predicate<Row>) r -> r.day() != null && r.day().isBefore(d90)),
                Arguments.of("{ day: { between: [\"" + TODAY.minusDays(200) + "\", \"" + TODAY.minusDays(100) + "\"] } }",
                        (Predicate<Row>) r -> r.day() != null && !r.day().isBefore(TODAY.minusDays(200)) && !r.day().isAfter(TODAY.minusDays(100))),
                Arguments.of("{ day: { eq: \"" + rows.values().stream().map(Row::day).filter(Objects::nonNull).findFirst().get() + "\" } }",
                        (Predicate<Row>) r -> Objects.equals(r.day(), rows.values().stream().map(Row::day).filter(Objects::nonNull).findFirst().get())),
                Arguments.of("{ seen: { withinLastDays: 30 } }", (Predicate<Row>) r -> r.seen() != null
                        && !r.seen().isBefore(TODAY.minusDays(30).atStartOfDay().atOffset(ZoneOffset.UTC))),
                Arguments.of("{ seen: { moreThanDaysAgo: 180 } }", (Predicate<Row>) r -> r.seen() != null
                        && r.seen().isBefore(TODAY.minusDays(180).atStartOfDay().atOffset(ZoneOffset.UTC))),
                Arguments.of("{ seen: { lt: \"" + TODAY.minusDays(100).atStartOfDay().atOffset(ZoneOffset.UTC) + "\" } }",
                        (Predicate<Row>) r -> r.seen() != null && r.seen().isBefore(TODAY.minusDays(100).atStartOfDay().atOffset(ZoneOffset.UTC))),
                Arguments.of("{ color: { eq: DEEP_BLUE } }", (Predicate<Row>) r -> "Deep Blue".equals(r.color())),
                Arguments.of("{ color: { neq: RED } }", (Predicate<Row>) r -> !"Red".equals(r.color())),
                Arguments.of("{ color: { in: [RED, GREEN] } }", (Predicate<Row>) r -> "Red".equals(r.color()) || "Green".equals(r.color())),
                Arguments.of("{ color: { notIn: [RED] } }", (Predicate<Row>) r -> !"Red".equals(r.color())),
                Arguments.of("{ color: { isNull: true } }", (Predicate<Row>) r -> r.color() == null),
                Arguments.of("{ sizes: { containsAny: [S, L] } }", (Predicate<Row>) r -> r.sizes() != null && (r.sizes().contains("S") || r.sizes().contains("L"))),
                Arguments.of("{ sizes: { containsAll: [S, L] } }", (Predicate<Row>) r -> r.sizes() != null && r.sizes().containsAll(List.of("S", "L"))),
                Arguments.of("{ sizes: { isNull: true } }", (Predicate<Row>) r -> r.sizes() == null),
                Arguments.of("{ labels: { containsAny: [\"vip\"] } }", (Predicate<Row>) r -> r.labels() != null && r.labels().contains("vip")),
                Arguments.of("{ labels: { containsAll: [\"vip\", \"b2b\"] } }", (Predicate<Row>) r -> r.labels() != null && r.labels().containsAll(List.of("vip", "b2b"))),
                Arguments.of("{ or: [{ qty: { eq: 1 } }, { color: { eq: RED } }] }", (Predicate<Row>) r -> Objects.equals(r.qty(), 1L) || "Red".equals(r.color())),
                Arguments.of("{ not: { active: { eq: true } }, price: { gt: 50 } }", (Predicate<Row>) r -> !Boolean.TRUE.equals(r.active())
                        && r.price() != null && compare(r.price(), 50) > 0),
                Arguments.of("{ and: [{ qty: { gte: 2 } }, { qty: { lte: 6 } }], labels: { isNull: false } }",
                        (Predicate<Row>) r -> r.qty() != null && r.qty() >= 2 && r.qty() <= 6 && r.labels() != null),
                Arguments.of("{ " + ApiNames.camel(notes) + ": { some: { day: { withinLastDays: 60 } } } }",
                        (Predicate<Row>) r -> r.noteDays().stream().anyMatch(d -> !d.isBefore(TODAY.minusDays(60)))),
                Arguments.of("{ " + ApiNames.camel(notes) + ": { none: {} } }", (Predicate<Row>) r -> r.noteDays().isEmpty()),
                Arguments.of("{ " + ApiNames.camel(notes) + ": { count: { gt: 2 } } }", (Predicate<Row>) r -> r.noteDays().size() > 2),
                Arguments.of("{ " + ApiNames.camel(notes) + ": { count: { lt: 2 }, where: { day: { withinLastDays: 180 } } } }",
                        (Predicate<Row>) r -> r.noteDays().stream().filter(d -> !d.isBefore(TODAY.minusDays(180))).count() < 2),
                Arguments.of("{ " + ApiNames.camel(notes) + ": { count: { eq: 0 } } }", (Predicate<Row>) r -> r.noteDays().isEmpty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesExactlyTheExpectedRows(String where, Predicate<Row> expected) {
        assertThat(idsMatching(where)).containsExactlyInAnyOrderElementsOf(expected(expected));
    }

    @Test
    void filtersThroughAManyToOneRelation() {
        String list = ApiNames.camel(notes);
        List<String> thingIds = run("{ " + list + "(first: 1000, where: { thing: { color: { eq: RED } } }) { nodes { thingId } } }")
                .path(list + ".nodes[*].thingId").entityList(String.class).get();
        List<String> expected = new ArrayList<>();
        rows.values().stream().filter(r -> "Red".equals(r.color())).forEach(r -> r.noteDays().forEach(d -> expected.add(r.id())));
        assertThat(thingIds).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void sortsByTwoKeysWithStableCursorsAcrossPagesWithTies() {
        String list = ApiNames.camel(things);
        List<String> seen = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            var page = run("{ " + list + "(first: 4" + (after == null ? "" : ", after: \"" + after + "\"")
                    + ", orderBy: [{ field: GRP, direction: DESC }, { field: PRICE, nulls: FIRST }]) {"
                    + " nodes { id } pageInfo { hasNextPage endCursor } } }");
            seen.addAll(page.path(list + ".nodes[*].id").entityList(String.class).get());
            more = page.path(list + ".pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path(list + ".pageInfo.endCursor").entity(String.class).get();
        }
        Comparator<Row> order = Comparator.comparingInt(Row::group).reversed()
                .thenComparing(Row::price, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(r -> idNumber(r.id()));
        assertThat(seen).containsExactlyElementsOf(rows.values().stream().sorted(order).map(Row::id).toList());
    }

    @Test
    void refusesOperatorsThatDoNotFitTheField() {
        String list = ApiNames.camel(things);
        assertThat(error("{ " + list + "(where: { labels: { containsAny: [\"x\"] }, name: { contains: 5 } }) { totalCount } }")
                .getMessage()).isNotBlank();
        var wrongDate = error("{ " + list + "(where: { day: { gt: \"yesterday\" } }) { totalCount } }");
        assertThat(wrongDate.getMessage()).isEqualTo(things + ".day: 'yesterday' is not a date (YYYY-MM-DD)");
        assertThat(wrongDate.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("field", "day");
    }
}
