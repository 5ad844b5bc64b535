package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A peer folder against a local server answering in PostGraphile's spelling, aliased to ours. */
class PeerTest {

    private HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile String answer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/graphql", exchange -> {
            received.add(GraphQl.JSON.readTree(exchange.getRequestBody().readAllBytes()));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Peer peer(Path folder, String question, String text) throws Exception {
        Files.writeString(folder.resolve("endpoint"), "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql\n"
                + "Authorization: Bearer peer-key\n");
        Files.writeString(folder.resolve(question + ".graphql"), text);
        return new Peer(folder);
    }

    @Test
    void asksTheRowsQuestionWithTheCustomerIdAndReadsTheAnswerAsOursIsRead(@TempDir Path folder) throws Exception {
        Peer peer = peer(folder, "customer-by-id", "query($id: BigInt!) { customer: customerByRowId(rowId: $id) { fullName } }");
        answer = """
                {"data": {"customer": {"fullName": "Zoe Kim"}}}""";

        String fingerprint = Peer.fingerprint(Report.ONE, peer.ask(Report.ONE, 50_000));

        assertThat(fingerprint).isEqualTo("Zoe Kim");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).path("variables").path("id").asString()).isEqualTo("50000");
        assertThat(received.get(0).path("query").asString()).contains("customerByRowId");
        assertThat(authorizations).containsExactly("Bearer peer-key");
        assertThat(peer.asks(Report.ONE)).isTrue();
        assertThat(peer.asks(Report.FILTER)).isFalse();
    }

    @Test
    void fingerprintsPlainRowIdsLikeOurGlobalIds() {
        JsonNode peerPage = GraphQl.JSON.readTree("""
                {"customers": {"nodes": [{"id": "1", "orders": {"nodes": [{"id": "732186"}, {"id": "715420"}]}},
                                         {"id": "2", "orders": {"nodes": []}}]}}""");
        JsonNode ourPage = GraphQl.JSON.readTree("""
                {"customers": {"nodes": [{"id": "%s", "orders": {"nodes": [{"id": "%s"}, {"id": "%s"}]}},
                                         {"id": "%s", "orders": {"nodes": []}}]}}""".formatted(globalId("customers", 1),
                globalId("orders", 732186), globalId("orders", 715420), globalId("customers", 2)));

        assertThat(Peer.fingerprint(Report.ORDERS, peerPage)).isEqualTo("1:732186,715420 2:");
        assertThat(CrmStore.fingerprint(Report.ORDERS, ourPage)).isEqualTo("1:732186,715420 2:");
    }

    @Test
    void readsRevenueAsMonthsWithTheirRevenueAndOrders() {
        JsonNode answer = GraphQl.JSON.readTree("""
                {"ordersAggregate": {"nodes": [
                  {"month": "2024-11-01T00:00:00+00:00", "revenue": "1512276.81", "orders": "8406"},
                  {"month": "2024-12-01T00:00:00+00:00", "revenue": "5571148.08", "orders": "31030"},
                  {"month": "2025-01-01T00:00:00+00:00", "revenue": null, "orders": "0"}]}}""");

        assertThat(Peer.fingerprint(Report.REVENUE, answer)).isEqualTo("3 months, 39436 orders, 7083424.89 revenue");
    }

    @Test
    void anAnswerWithErrorsStopsTheRunNamingTheRow(@TempDir Path folder) throws Exception {
        Peer peer = peer(folder, "tickets", "{ customers: customersWithTickets(moreThan: 2, days: 180) { totalCount } }");
        answer = """
                {"data": {"customers": null}, "errors": [{"message": "An error occurred"}]}""";

        assertThatThrownBy(() -> peer.ask(Report.TICKETS, 1))
                .hasMessageStartingWith(Report.TICKETS + " answered 200: ")
                .hasMessageContaining("An error occurred");
    }

    @Test
    void theRowNoteGivesThePeersFiguresAndWhetherItsAnswerIsOurs() {
        Schedule.Result ours = Schedule.Result.empty();
        Schedule.Result sql = Schedule.Result.empty();
        Schedule.Result peer = Schedule.Result.empty();
        ours.samples().put(Report.ONE, new Samples(new double[] {20, 20, 20}));
        ours.answers().put(Report.ONE, "Zoe Kim");
        sql.samples().put(Report.ONE, new Samples(new double[] {2, 2, 2}));
        sql.answers().put(Report.ONE, "Zoe Kim");
        peer.samples().put(Report.ONE, new Samples(new double[] {4, 4, 4}));
        peer.answers().put(Report.ONE, "Zoe Kim");
        ours.samples().put(Report.FILTER, new Samples(new double[] {80}));
        peer.samples().put(Report.FILTER, new Samples(new double[] {40}));
        ours.answers().put(Report.FILTER, "27009 17890");
        peer.answers().put(Report.FILTER, "27008 17890");

        Map<String, Row> rows = new java.util.HashMap<>();
        Report.pair(ours, sql, peer).forEach(row -> rows.put(row.work(), row));

        assertThat(rows.get(Report.ONE).note()).isEqualTo("peer median 4.00 ms, p95 4.00 ms, same answer");
        assertThat(rows.get(Report.FILTER).note()).isEqualTo("peer median 40.0 ms, p95 40.0 ms, DIFFERENT answer 27008 17890");
    }

    private static String globalId(String object, long id) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((object + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
