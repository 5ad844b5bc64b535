package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.storage.DuckDb;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** CSV export: RFC 4180 round trip of awkward values, by filter and by saved view. */
class ExportE2EIT extends E2ESupport {

    @Autowired
    DuckDb db;

    private static final List<String> AWKWARD = List.of("plain", "comma, inside", "quote \" inside", "line\nbreak",
            "crlf\r\nbreak", "ünïcødé ✓ 日本", "  spaces  ", "", "\"\"");

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(authorized(URI.create(baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void awkwardValuesRoundTripThroughRfc4180() throws Exception {
        String object = unique("notes");
        createObject(object, List.of(field("Body", "TEXT"), field("Tags", "TAGS"), field("Amount", "NUMBER")));
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < AWKWARD.size(); i++) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("body", AWKWARD.get(i));
            input.put("tags", List.of("a,b", "c\"d"));
            input.put("amount", i + 0.5);
            inputs.add(input);
        }
        run("mutation($in: [" + ApiNames.pascal(object + "_item") + "CreateInput!]!) { create" + ApiNames.pascal(object)
                + "(inputs: $in) { id } }", Map.of("in", inputs));

        HttpResponse<String> response = get("/export/" + object + ".csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<List<String>> records = parse(response.body());
        assertThat(records.get(0)).containsExactly("Id", "Body", "Tags", "Amount", "Created At", "Updated At");
        assertThat(records).hasSize(AWKWARD.size() + 1);
        for (int i = 0; i < AWKWARD.size(); i++) {
            List<String> record = records.get(i + 1);
            assertThat(record.get(1)).isEqualTo(AWKWARD.get(i));
            assertThat(record.get(2)).isEqualTo("[\"a,b\",\"c\\\"d\"]");
            assertThat(record.get(3)).isEqualTo(String.valueOf(i + 0.5));
        }
        // Byte for byte: only a cell that needs it is quoted, an empty text is an empty cell, records end with CRLF.
        assertThat(get("/export/" + object + ".csv?fields=body").body()).isEqualTo("Body\r\nplain\r\n\"comma, inside\"\r\n"
                + "\"quote \"\" inside\"\r\n\"line\nbreak\"\r\n\"crlf\r\nbreak\"\r\nünïcødé ✓ 日本\r\n  spaces  \r\n\r\n\"\"\"\"\"\"\r\n");
        // The records pass through a file in the staging folder, which the export removes once sent.
        try (Stream<Path> staged = Files.list(db.stagingDirectory())) {
            assertThat(staged.map(file -> file.getFileName().toString()).filter(name -> name.startsWith("export-")).toList()).isEmpty();
        }
    }

    /** The database writes the records: each kind's cell must read as the API shows the value, and no value as an empty cell. */
    @Test
    void everyKindIsWrittenAsTheApiShowsIt() throws Exception {
        String object = unique("readings");
        createObject(object, List.of(field("Count", "INTEGER"), field("Done", "BOOLEAN"), field("Day", "DATE"), field("At", "DATETIME"),
                field("Plain", "NUMBER"), field("Price", "NUMBER", "scale", 2)));
        List<Map<String, Object>> inputs = new ArrayList<>();
        inputs.add(new LinkedHashMap<>(Map.of("count", -7, "done", true, "day", "2024-02-29", "at", "2024-03-05T06:07:08.120Z",
                "plain", "12.5", "price", "3.1")));
        inputs.add(new LinkedHashMap<>(Map.of("count", 0, "done", false, "day", "1999-12-31", "at", "2024-03-05T06:07:00+02:00",
                "plain", "100", "price", "0")));
        inputs.add(new LinkedHashMap<>(Map.of("at", "2024-03-05T06:07:08.000001Z", "plain", "-0.0625")));
        inputs.add(new LinkedHashMap<>());
        run("mutation($in: [" + ApiNames.pascal(object + "_item") + "CreateInput!]!) { create" + ApiNames.pascal(object)
                + "(inputs: $in) { id } }", Map.of("in", inputs));

        assertThat(get("/export/" + object + ".csv?fields=count,done,day,at,plain,price").body()).isEqualTo("Count,Done,Day,At,Plain,Price\r\n"
                + "-7,true,2024-02-29,2024-03-05T06:07:08.12Z,12.5,3.10\r\n"
                + "0,false,1999-12-31,2024-03-05T04:07:00Z,100,0.00\r\n"
                + ",,,2024-03-05T06:07:08.000001Z,-0.0625,\r\n"
                + ",,,,,\r\n");
    }

    @Test
    void exportsAFilterOrASavedViewWithItsColumns() throws Exception {
        String object = unique("deals");
        createObject(object, List.of(field("Name", "TEXT"), field("Value", "INTEGER")));
        run("mutation { create" + ApiNames.pascal(object) + "(inputs: [{ name: \"small\", value: 1 }, { name: \"big\", value: 9 },"
                + " { name: \"mid\", value: 5 }]) { id } }");

        String where = URLEncoder.encode("{\"value\":{\"gte\":5}}", StandardCharsets.UTF_8);
        String orderBy = URLEncoder.encode("[{\"field\":\"VALUE\",\"direction\":\"DESC\"}]", StandardCharsets.UTF_8);
        List<List<String>> filtered = parse(get("/export/" + object + ".csv?where=" + where + "&orderBy=" + orderBy).body());
        assertThat(filtered.stream().skip(1).map(r -> r.get(1)).toList()).containsExactly("big", "mid");

        String view = run("mutation { createView(input: { name: \"Small\", object: \"" + object
                + "\", filter: { value: { lt: 5 } }, fields: [\"name\", \"value\"] }) { id } }").path("createView.id").entity(String.class).get();
        assertThat(parse(get("/export/" + object + ".csv?view=" + view).body()))
                .containsExactly(List.of("Name", "Value"), List.of("small", "1"));

        HttpResponse<String> bad = get("/export/" + object + ".csv?where=" + URLEncoder.encode("{\"nope\":{\"eq\":1}}", StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("has no field 'nope'");
        assertThat(get("/export/no_such_object.csv").statusCode()).isEqualTo(404);
    }

    /** A strict RFC 4180 reader, written here so the test does not trust the server's own writer. */
    static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return records;
    }
}
