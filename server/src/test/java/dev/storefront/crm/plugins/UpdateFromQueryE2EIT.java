package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.entries.EntryChangeListener;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.imports.sync.SyncPageWriter;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.ImportChunks;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link CrmContext#updateFromQuery} on a real DuckDB file: values computed by one SELECT land in one
 * statement, unchanged entries keep their {@code updated_at}, and every rule of a single write refuses
 * the whole update with the field and value named and nothing written.
 */
class UpdateFromQueryE2EIT extends E2ESupport {

    @Autowired
    private DuckDb db;
    @Autowired
    private EntryService entries;
    @Autowired
    private SchemaService schema;
    @Autowired
    private JobRunner jobs;
    @Autowired
    private ImportChunks chunks;
    @Autowired
    private EntryStore store;

    private CrmContext crm;
    private String players;
    private String teams;
    private final List<Long> ids = new ArrayList<>();
    private long team;

    @BeforeEach
    void createPlayers() {
        crm = new DefaultCrmContext(db, entries, schema, jobs, new SyncPageWriter(chunks, entries, store, db.stagingDirectory()),
                Clock.systemUTC());
        players = unique("players");
        teams = unique("teams");
        createObject(teams, List.of(field("Title", "TEXT")));
        createObject(players, List.of(field("Name", "TEXT", "required", true), field("Score", "NUMBER"),
                field("Games", "INTEGER"), field("Level", "ENUM", "options", List.of("Bronze", "Silver", "Gold")),
                field("Code", "TEXT", "unique", true), field("Mail", "EMAIL"), field("Team", "RELATION", "relatedObject", teams)));
        team = (Long) crm.create(teams, Map.of("title", "Reds")).get("id");
        ids.clear();
        for (int i = 1; i <= 4; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("name", "p" + i);
            values.put("games", (long) i);
            values.put("code", "c" + i);
            values.put("level", "Bronze");
            ids.add((Long) crm.create(players, values).get("id"));
        }
    }

    private Map<String, Object> player(int index) {
        return crm.find(players, ids.get(index)).orElseThrow();
    }

    @Test
    void setsComputedValuesInOneStatementAndLeavesEqualEntriesAlone() {
        Object untouchedStamp = player(3).get("updated_at");
        long before = db.statementCount();
        long changed = crm.updateFromQuery(players, List.of("score", "level", "team"),
                "SELECT id, games * 2.5 AS score, CASE WHEN games >= 3 THEN 'GOLD' ELSE 'Bronze' END AS level, "
                        + "CASE WHEN games = 4 THEN NULL ELSE ? END AS team FROM " + players + " WHERE games >= ?", team, 2L);
        long statements = db.statementCount() - before;

        // p2, p3 and p4 are selected (p1 is not) and each gets at least one new value.
        assertThat(changed).isEqualTo(3);
        assertThat(player(1)).containsEntry("score", new BigDecimal("5.0000")).containsEntry("level", "Bronze").containsEntry("team", team);
        assertThat(player(2)).containsEntry("score", new BigDecimal("7.5000")).containsEntry("level", "Gold");
        assertThat(player(0).get("score")).isNull();
        // Staging, parse check, column list, the ids, one check per field, the update, dropping the stage: no row loops.
        assertThat(statements).isLessThan(20);

        long again = crm.updateFromQuery(players, List.of("level"),
                "SELECT id, 'Gold' AS level FROM " + players + " WHERE games >= 3");
        assertThat(again).isZero();
        assertThat(player(3).get("updated_at")).isNotEqualTo(untouchedStamp);
        Object stamp = player(3).get("updated_at");
        crm.updateFromQuery(players, List.of("level"), "SELECT id, 'Gold' AS level FROM " + players + " WHERE games >= 3");
        assertThat(player(3).get("updated_at")).isEqualTo(stamp);
    }

    @Test
    void joinsTheCallersTransaction() {
        assertThatThrownBy(() -> crm.inTransaction(tx -> {
            tx.updateFromQuery(players, List.of("games"), "SELECT id, games + 100 AS games FROM " + players);
            throw new IllegalStateException("abandon");
        })).hasMessage("abandon");
        assertThat(player(0)).containsEntry("games", 1L);
    }

    @Test
    void refusesBadValuesNamingFieldAndValueAndWritesNothing() {
        String from = " FROM " + players;
        assertRefused(List.of("games"), "SELECT id, 'many' AS games" + from,
                players + ".games: 'many' is not a whole number");
        assertRefused(List.of("games"), "SELECT id, 2.5 AS games" + from,
                players + ".games: '2.5' is not a whole number");
        assertRefused(List.of("level"), "SELECT id, 'Platinum' AS level" + from,
                players + ".level: 'Platinum' is not one of the options: Bronze, Silver, Gold");
        assertRefused(List.of("mail"), "SELECT id, 'not-an-address' AS mail" + from,
                players + ".mail: 'not-an-address' is not a valid email address");
        assertRefused(List.of("name"), "SELECT id, NULL AS name" + from,
                players + ".name: is required and cannot be cleared (entry " + ids.get(0) + ")");
        assertRefused(List.of("code"), "SELECT id, 'same' AS code" + from,
                players + ".code: 'same' must be unique but more than one entry would hold it");
        assertRefused(List.of("team"), "SELECT id, 987654321 AS team" + from,
                players + ".team: '987654321' does not exist in " + teams);
        assertRefused(List.of("games"), "SELECT 987654321 AS id, 1 AS games",
                "No " + players + " entry with id 987654321");
        assertRefused(List.of("games"), "SELECT id, 1 AS games" + from + " UNION ALL SELECT " + ids.get(1) + ", 2",
                "The query for " + players + " returns entry " + ids.get(1) + " more than once");
        assertRefused(List.of("games"), "SELECT id, 1 AS games" + from + " UNION ALL SELECT NULL, 2",
                "The query for " + players + " returns a row without an id");
        assertRefused(List.of("games"), "SELECT id, 1 AS points" + from,
                "The query for " + players + " must return a column 'games' (it returns id, points)");
        assertRefused(List.of("games"), "DELETE" + from, "Only one SELECT statement is allowed");
        assertRefused(List.of("nope"), "SELECT id" + from, "No field 'nope' on object '" + players + "'");
    }

    @Test
    void judgesTheTextsOfEveryFieldOfOneWriteByTheirOwnField() {
        // The distinct texts of all fields come from one statement: each must still be judged by its own field.
        String from = " FROM " + players;
        assertRefused(List.of("level", "mail"), "SELECT id, 'Gold' AS level, 'not-an-address' AS mail" + from,
                players + ".mail: 'not-an-address' is not a valid email address");
        assertRefused(List.of("mail", "level"), "SELECT id, 'a@b.example' AS mail, 'a@b.example' AS level" + from,
                players + ".level: 'a@b.example' is not one of the options: Bronze, Silver, Gold");

        long changed = crm.updateFromQuery(players, List.of("level", "mail", "name"),
                "SELECT id, 'SILVER' AS level, name || '@club.example' AS mail, upper(name) AS name" + from + " WHERE games <= 2");
        assertThat(changed).isEqualTo(2);
        assertThat(player(0)).containsEntry("level", "Silver").containsEntry("mail", "p1@club.example").containsEntry("name", "P1");
        assertThat(player(1)).containsEntry("level", "Silver").containsEntry("mail", "p2@club.example").containsEntry("name", "P2");
        assertThat(player(2)).containsEntry("level", "Bronze").containsEntry("name", "p3");
        assertThat(player(2).get("mail")).isNull();
    }

    @Test
    void setBasedCreationsAreToldEntryByEntryOnlyWhenSomeListenerHearsEachOfThem() {
        HearsPlayers listener = new HearsPlayers();
        entries.addListener(listener);
        try {
            listener.hearsEach = true;
            long before = db.statementCount();
            assertThat(crm.createFromQuery(players, List.of("name", "code"), "SELECT 'e' || i AS name, 'e' || i AS code FROM range(3) t(i)"))
                    .isEqualTo(3);
            long toldEach = db.statementCount() - before;
            assertThat(listener.heard).containsExactlyInAnyOrder("created e0", "created e1", "created e2");

            listener.heard.clear();
            listener.hearsEach = false;
            before = db.statementCount();
            assertThat(crm.createFromQuery(players, List.of("name", "code"), "SELECT 'b' || i AS name, 'b' || i AS code FROM range(3) t(i)"))
                    .isEqualTo(3);
            long toldInBulk = db.statementCount() - before;
            assertThat(listener.heard).containsExactly("bulk write");
            // The one statement saved: reading the three created entries back to describe each.
            assertThat(toldEach - toldInBulk).isEqualTo(1);

            // A bulk create of several is told the same way; one entry is always told as itself.
            listener.heard.clear();
            crm.createAll(players, List.of(Map.of("name", "m0", "code", "m0"), Map.of("name", "m1", "code", "m1")));
            crm.createAll(players, List.of(Map.of("name", "s0", "code", "s0")));
            assertThat(listener.heard).containsExactly("bulk write", "created s0");
            listener.hearsEach = true;
            crm.createAll(players, List.of(Map.of("name", "m2", "code", "m2"), Map.of("name", "m3", "code", "m3")));
            assertThat(listener.heard).containsExactly("bulk write", "created s0", "created m2", "created m3");
        } finally {
            listener.on = false;
        }
    }

    @Test
    void anUpdateReadsBackWhatItsAnswerAsksAndTellsTheWholeEntryOnlyToAListenerThatHearsEach() {
        HearsPlayers listener = new HearsPlayers();
        entries.addListener(listener);
        try {
            String type = ApiNames.pascal(players + "_item");
            String id = run("mutation { create" + type + "(input: { name: \"gql\", games: 3, code: \"g1\" }) { id } }")
                    .path("create" + type + ".id").entity(String.class).get();
            listener.heard.clear();

            // The answer holds the fields it asks for, written or not; a listener that hears no entry hears of a write.
            Map<?, ?> answer = run("mutation { update" + type + "(id: \"" + id + "\", input: { score: 7.5 }) { id score name games } }")
                    .path("update" + type).entity(Map.class).get();
            assertThat(answer).isEqualTo(Map.of("id", id, "score", "7.5", "name", "gql", "games", 3));
            assertThat(listener.heard).containsExactly("bulk write");

            // An answer of written fields alone is made from them: the same write with a version asked reads the entry back.
            long start = db.statementCount();
            Map<?, ?> written = run("mutation { update" + type + "(id: \"" + id + "\", input: { score: 8.25, games: 5 }) { id score games } }")
                    .path("update" + type).entity(Map.class).get();
            long unread = db.statementCount() - start;
            start = db.statementCount();
            Map<?, ?> versioned = run("mutation { update" + type + "(id: \"" + id + "\", input: { score: 8.25, games: 5 }) { id score games updatedAt } }")
                    .path("update" + type).entity(Map.class).get();
            assertThat(db.statementCount() - start).isEqualTo(unread + 1);
            assertThat(written).isEqualTo(Map.of("id", id, "score", "8.25", "games", 5));
            assertThat(List.of(versioned.get("id"), versioned.get("score"), versioned.get("games"))).containsExactly(id, "8.25", 5);
            assertThat(versioned.get("updatedAt")).isNotNull();
            assertThat(crm.find(players, idNumber(id)).orElseThrow()).containsEntry("games", 5L).containsEntry("name", "gql");
            assertThat(listener.heard).containsExactly("bulk write", "bulk write", "bulk write");
            listener.heard.clear();

            // One that hears each entry gets it whole, whatever the answer asks for.
            listener.hearsEach = true;
            run("mutation { update" + type + "(id: \"" + id + "\", input: { games: 4 }) { id } }");
            assertThat(listener.heard).containsExactly("updated gql");
            assertThat(crm.find(players, idNumber(id)).orElseThrow()).containsEntry("games", 4L);
        } finally {
            listener.on = false;
        }
    }

    /** Hears the players of this test only while it runs (the listener stays with the shared server). */
    private final class HearsPlayers implements EntryChangeListener {
        volatile boolean on = true;
        volatile boolean hearsEach;
        final List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean listening() {
            return on;
        }

        @Override
        public boolean readsBefore(ObjectDef object) {
            return false;
        }

        @Override
        public boolean hearsEachEntry(ObjectDef object) {
            return on && hearsEach && object.apiName().equals(players);
        }

        @Override
        public void changed(Change change, ObjectDef object, Entry before, Entry after) {
            if (on && object.apiName().equals(players)) {
                heard.add(change.name().toLowerCase() + " " + after.values().get("name"));
            }
        }

        @Override
        public void bulkWritten(ObjectDef object) {
            if (on && object.apiName().equals(players)) {
                heard.add("bulk write");
            }
        }
    }

    private void assertRefused(List<String> fields, String select, String message) {
        List<Map<String, Object>> before = crm.query(players, dev.storefront.crm.api.query.Filter.all(), List.of(), 10);
        assertThatThrownBy(() -> crm.updateFromQuery(players, fields, select))
                .isInstanceOf(CrmException.class).hasMessage(message);
        assertThat(crm.query(players, dev.storefront.crm.api.query.Filter.all(), List.of(), 10)).isEqualTo(before);
    }
}
