package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The workflows plugin (the real jar, beside the segmentation plugin that owns segment moves) on a
 * database of its own, with a real SMTP server (GreenMail) and a local webhook receiver. Each shipped
 * workflow runs end to end on customers crafted here; a workflow "day" lasts one second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowsE2EIT extends PluginServerSupport {

    private static final Path DATABASE = dev.storefront.crm.e2e.E2ESupport.newDatabaseFile();
    private static final Mailbox SMTP = new Mailbox();
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final String SECRET = "s3cret-for-returns";
    private static final ZoneId STORE_ZONE = ZoneId.of("Asia/Kathmandu");

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", WorkflowsE2EIT::plugins);
        registry.add("crm.timezone", STORE_ZONE::getId);
        Map.ofEntries(
                Map.entry("smtp.host", "127.0.0.1"),
                Map.entry("smtp.port", String.valueOf(SMTP.port())),
                Map.entry("tick", "PT0.2S"),
                Map.entry("day-length", "PT1S"),
                Map.entry("webhook.backoff", "PT0.2S"),
                Map.entry("webhook.max-attempts", "3"),
                Map.entry("new-customer-welcome.sender", "shop@store.test"),
                Map.entry("vip-recognition.sender", "shop@store.test"),
                Map.entry("vip-recognition.account_manager", "manager@store.test"),
                Map.entry("at-risk-winback.sender", "shop@store.test"),
                Map.entry("review-request.sender", "shop@store.test"),
                Map.entry("return-pattern-alert.notify_url", RECEIVER.url("/returns")),
                Map.entry("return-pattern-alert.webhook_secret", SECRET))
                .forEach((key, value) -> registry.add("crm.plugins.workflows." + key, () -> value));
    }

    private static String plugins() {
        try {
            Path directory = TestFolders.create("crm-workflows");
            for (String id : List.of("segmentation", "workflows")) {
                Files.copy(TestPlugins.bundledJar(id), directory.resolve(id + ".jar"));
            }
            return directory.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stopServers() {
        SMTP.close();
        RECEIVER.close();
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void theDryRunShowsWhatWouldStartAndDoesNothing() {
        String one = customer("Dry One", "dry1@shop.test");
        String two = customer("Dry Two", "dry2@shop.test");
        String delivered = order(one, "DRY-1", now().minusDays(10), now().minusDays(10).toString());
        order(two, "DRY-2", now().minusDays(3), null);
        order(two, "DRY-3", now().minusDays(2), null);

        Map<String, Object> welcome = simulate("new-customer-welcome");
        assertThat(welcome).containsEntry("wouldStart", 1);
        Map<String, Object> run = ((List<Map<String, Object>>) welcome.get("runs")).get(0);
        assertThat(run).containsEntry("entryObject", "customers").containsEntry("entry", one)
                .containsEntry("triggerEvent", "orders:" + number(delivered) + ":created");
        assertThat((List<String>) run.get("actions")).containsExactly("set {discount_code=WELCOME-(code)}",
                "email dry1@shop.test: Welcome, Dry One: 10% off your next order");

        // A date trigger not enabled yet: the one order delivered more than 7 days ago.
        Map<String, Object> review = simulate("review-request");
        assertThat(review).containsEntry("wouldStart", 1);
        assertThat(((List<Map<String, Object>>) review.get("runs")).get(0)).containsEntry("entry", one)
                .containsEntry("triggerEvent", "orders:" + number(delivered))
                .containsEntry("actions", List.of("email dry1@shop.test: How was order DRY-1?"));

        assertThat(runs(null, null)).isEmpty();
        assertThat(SMTP.all()).isEmpty();
    }

    @Test
    @Order(2)
    void aWorkflowIsRefusedUntilConfiguredAndABadOneCannotBeSaved() {
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name enabled } }", Map.of("y", """
                name: needs-token
                settings: [api_token]
                trigger: {on: created, object: companies}
                steps:
                  - webhook: {url: "http://127.0.0.1:1/x"}
                """)).path("saveWorkflow.enabled").entity(Boolean.class).isEqualTo(false);
        assertThat(error("mutation { enableWorkflow(name: \"needs-token\", enabled: true) { name } }").getMessage())
                .isEqualTo("Workflow 'needs-token' cannot be enabled before it is configured: set crm.plugins.workflows.needs-token.api_token");
        assertThat(error("mutation { saveWorkflow(yaml: \"name: bad\\ntrigger: {on: created, object: companies}\\nsteps:\\n  - shout: {}\") { name } }")
                .getMessage()).isEqualTo("The workflow cannot be used: workflow 'bad': step 1 must be exactly one of create, email, set, wait, webhook");
        assertThat(error("mutation { enableWorkflow(name: \"nope\", enabled: true) { name } }").getMessage())
                .isEqualTo("There is no workflow named 'nope'");
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void aFirstPurchaseGetsOneWelcomeWithACodeStoredOnTheCustomer() throws Exception {
        enable("new-customer-welcome");
        String ann = customer("Ann Able", "ann@shop.test");
        order(ann, "ANN-1", now(), null);
        Map<String, Object> run = awaitRun("new-customer-welcome", ann, "SUCCEEDED");
        String code = (String) run("query($id: ID!) { customer(id: $id) { discountCode } }", Map.of("id", ann))
                .path("customer.discountCode").entity(String.class).get();
        assertThat(code).matches("WELCOME-[A-HJ-NP-Z2-9]{10}");
        List<MimeMessage> mails = awaitMails("ann@shop.test", 1);
        assertThat(mails.get(0).getSubject()).isEqualTo("Welcome, Ann Able: 10% off your next order");
        assertThat(GreenMailUtil.getBody(mails.get(0))).contains("Your code for 10% off the next one: " + code);
        assertThat(mails.get(0).getFrom()[0].toString()).isEqualTo("shop@store.test");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) run.get("steps");
        assertThat(steps).extracting(s -> s.get("action") + " " + s.get("state")).containsExactly("set DONE", "email SENT");
        assertThat(mails.get(0).getMessageID()).isEqualTo(steps.get(1).get("messageId"));

        // A second order is not a first purchase; Ben's first order, after it, shows the event was heard.
        order(ann, "ANN-2", now(), null);
        String ben = customer("Ben Second", "ben@shop.test");
        order(ben, "BEN-1", now(), null);
        awaitRun("new-customer-welcome", ben, "SUCCEEDED");
        assertThat(runs("new-customer-welcome", ann)).hasSize(1);
        assertThat(mailsTo("ann@shop.test")).hasSize(1);
    }

    @Test
    @Order(4)
    void aNewVipIsAnnouncedToTheManagerAndThanked() throws Exception {
        enable("vip-recognition");
        String vic = customer("Vic Vip", "vic@shop.test");
        String lou = customer("Lou Loyal", "lou@shop.test");
        segmentMove(lou, "New", "Loyal");
        segmentMove(vic, "Loyal", "VIP");
        awaitRun("vip-recognition", vic, "SUCCEEDED");
        assertThat(awaitMails("manager@store.test", 1)).extracting(MimeMessage::getSubject).containsExactly("New VIP: Vic Vip");
        assertThat(awaitMails("vic@shop.test", 1)).extracting(MimeMessage::getSubject).containsExactly("Thank you, Vic Vip");
        assertThat(runs("vip-recognition", lou)).isEmpty();
        assertThat(runs("vip-recognition", null)).hasSize(1);
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void theWinBackSequenceStopsWhenTheCustomerOrdersAgain() throws Exception {
        enable("at-risk-winback");
        String rita = customer("Rita Risk", "rita@shop.test");
        segmentMove(rita, "Loyal", "At Risk");
        await("the first win-back email", () -> subjects("rita@shop.test").contains("We miss you, Rita Risk"));
        // Seven workflow days (7 s) later the second one comes; then Rita orders again.
        await("the second win-back email", () -> subjects("rita@shop.test").contains("Still thinking of you, Rita Risk"));
        order(rita, "RITA-1", now(), null);
        Map<String, Object> run = awaitRun("at-risk-winback", rita, "STOPPED");
        assertThat((List<Map<String, Object>>) run.get("steps")).extracting(s -> s.get("action") + " " + s.get("state"))
                .containsExactly("email SENT", "wait DONE", "email SENT", "wait DONE");
        assertThat(subjects("rita@shop.test")).doesNotContain("A last note, Rita Risk");
    }

    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    void aReturnPatternOpensOneReviewTicketAndCallsTheSignedWebhook() throws Exception {
        enable("return-pattern-alert");
        String remy = customer("Remy Return", "remy@shop.test");
        String first = order(remy, "REMY-1", now().minusDays(20), null);
        String second = order(remy, "REMY-2", now().minusDays(10), null);
        String nora = customer("Nora Normal", "nora@shop.test");
        String noraFirst = order(nora, "NORA-1", now().minusDays(30), null);
        for (int i = 2; i <= 4; i++) {
            order(nora, "NORA-" + i, now().minusDays(30 - i), null);
        }
        returned(first, remy);           // 1 of 2 orders returned: 50%
        returned(noraFirst, nora);       // 1 of 4: 25%, not over 30%
        awaitRun("return-pattern-alert", remy, "SUCCEEDED");
        returned(second, remy);          // 2 of 2, but Remy's review ticket is still open
        String rob = customer("Rob Return", "rob@shop.test");
        returned(order(rob, "ROB-1", now().minusDays(5), null), rob);
        awaitRun("return-pattern-alert", rob, "SUCCEEDED");

        assertThat(runs("return-pattern-alert", remy)).hasSize(1);
        assertThat(runs("return-pattern-alert", nora)).isEmpty();
        List<Map<String, Object>> tickets = allNodes("supportTickets", "subject priority status customer { id }");
        assertThat(tickets).extracting(t -> t.get("subject") + " | " + t.get("priority") + " | " + t.get("status")
                + " | " + ((Map<String, Object>) t.get("customer")).get("id")).containsExactlyInAnyOrder(
                "Return pattern: Remy Return returns 1 of 2 orders | HIGH | OPEN | " + remy,
                "Return pattern: Rob Return returns 1 of 1 orders | HIGH | OPEN | " + rob);
        List<WebhookReceiver.Delivery> deliveries = RECEIVER.deliveries("/returns");
        assertThat(deliveries).hasSize(2);
        for (WebhookReceiver.Delivery delivery : deliveries) {
            assertThat(delivery.signature()).isEqualTo("sha256=" + hmac(SECRET, delivery.body()));
            Map<String, Object> body = JSON.readValue(delivery.body(), Map.class);
            assertThat(body).containsEntry("workflow", "return-pattern-alert").containsEntry("object", "customers");
            assertThat((Map<String, Object>) body.get("data")).containsEntry("alert", "return-pattern");
        }
        assertThat(deliveries).extracting(d -> ((Map<String, Object>) JSON.readValue(d.body(), Map.class).get("entry")).get("email"))
                .containsExactly("remy@shop.test", "rob@shop.test");
    }

    @Test
    @Order(7)
    @SuppressWarnings("unchecked")
    void aFailingWebhookIsRetriedThenDeadLetteredAndCanBeReplayed() throws Exception {
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", """
                name: company-hook
                trigger: {on: created, object: companies}
                steps:
                  - webhook: {url: "%s", secret: "hook-key"}
                """.formatted(RECEIVER.url("/companies"))));
        enable("company-hook");
        RECEIVER.failNext("/companies", 2);
        String acme = run("mutation { createCompany(input: { companyName: \"Acme\" }) { id } }").path("createCompany.id")
                .entity(String.class).get();
        Map<String, Object> run = awaitRun("company-hook", acme, "SUCCEEDED");
        assertThat((List<Map<String, Object>>) run.get("steps")).extracting(s -> s.get("state") + " " + s.get("attempts"))
                .containsExactly("DELIVERED 3");
        List<WebhookReceiver.Delivery> acmeDeliveries = RECEIVER.deliveries("/companies");
        assertThat(acmeDeliveries).hasSize(3).extracting(WebhookReceiver.Delivery::deliveryId).containsOnly(acmeDeliveries.get(0).deliveryId());
        assertThat(acmeDeliveries.get(2).signature()).isEqualTo("sha256=" + hmac("hook-key", acmeDeliveries.get(2).body()));

        RECEIVER.failNext("/companies", 1000);
        String bolt = run("mutation { createCompany(input: { companyName: \"Bolt\" }) { id } }").path("createCompany.id")
                .entity(String.class).get();
        Map<String, Object> dead = awaitRun("company-hook", bolt, "DEAD_LETTER");
        assertThat(dead).containsEntry("attempts", 3).containsEntry("error", "The webhook failed 3 times; last: HTTP 500 from "
                + RECEIVER.url("/companies") + ". Replay the run once the receiver works.");
        assertThat(RECEIVER.deliveries("/companies")).hasSize(6);
        Map<String, Object> health = health("company-hook");
        assertThat(health).containsEntry("enabled", true).containsEntry("deadLetters", 1).containsEntry("failedRuns", 0)
                .containsEntry("pendingRuns", 0);
        assertThat(health.get("lastTriggerEvaluatedAt")).isNotNull();

        RECEIVER.failNext("/companies", 0);
        run("mutation($id: ID!) { replayWorkflowRun(id: $id) { state } }", Map.of("id", dead.get("id")))
                .path("replayWorkflowRun.state").entity(String.class).isEqualTo("PENDING");
        awaitRun("company-hook", bolt, "SUCCEEDED");
        assertThat(RECEIVER.deliveries("/companies")).hasSize(7);
        assertThat(health("company-hook")).containsEntry("deadLetters", 0);
    }

    @Test
    @Order(8)
    void theReviewRequestCatchesUpOnWhatCameDueWhileTheWorkerWasDown() throws Exception {
        enable("review-request");
        String dora = customer("Dora Date", "dora@shop.test");
        OffsetDateTime delivered = now();
        order(dora, "DORA-1", delivered.minusDays(1), delivered.toString());
        order(dora, "DORA-2", delivered.minusDays(1), null);
        run("mutation { stopPlugin(id: \"workflows\") { state } }").path("stopPlugin.state").entity(String.class).isEqualTo("STOPPED");
        order(dora, "DORA-3", delivered.minusDays(1), now().toString());
        // Both orders' seventh workflow day passes while the plugin is stopped.
        OffsetDateTime due = now().plusSeconds(8);
        await("the review moments to pass", () -> now().isAfter(due));
        run("mutation { startPlugin(id: \"workflows\") { state } }").path("startPlugin.state").entity(String.class).isEqualTo("STARTED");
        await("two review requests", () -> runs("review-request", dora).size() == 2
                && runs("review-request", dora).stream().allMatch(r -> "SUCCEEDED".equals(r.get("state"))));
        assertThat(subjects("dora@shop.test")).contains("How was order DORA-1?", "How was order DORA-3?")
                .doesNotContain("How was order DORA-2?");
        // Dry One's order was delivered long before the workflow was enabled: no request.
        assertThat(subjects("dry1@shop.test")).isEmpty();
    }

    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void aCronScheduleFiresOnceAtItsMomentInTheStoresTimeZone() {
        String cara = customer("Cara Cron", "cara@cron.test");
        String carl = customer("Carl Cron", "carl@cron.test");
        String nick = customer("Nick Nocron", "nick@shop.test");
        // Once a year, at a second a little ahead on the store's clock (Kathmandu, UTC+05:45): read in UTC it would not fire today.
        ZonedDateTime at = ZonedDateTime.now(STORE_ZONE).plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name trigger } }", Map.of("y", """
                name: cron-check
                trigger: {on: cron, cron: "%d %d %d %d %d *", object: customers, where: {email: {endsWith: "@cron.test"}}}
                steps:
                  - create: {object: support_tickets, values: {customer: "{{entry.id}}", subject: "Cron check: {{entry.full_name}}"}}
                """.formatted(at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue())))
                .path("saveWorkflow.trigger").entity(String.class).isEqualTo("cron %d %d %d %d %d * customers"
                        .formatted(at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue()));
        String firing = at.toOffsetDateTime().toString();
        Map<String, Object> dry = simulate("cron-check");
        assertThat(dry).containsEntry("wouldStart", 2);
        assertThat((List<Map<String, Object>>) dry.get("runs")).extracting(r -> r.get("entry") + " " + r.get("triggerEvent"))
                .containsExactlyInAnyOrder(cara + " customers:" + number(cara) + ":cron:" + firing,
                        carl + " customers:" + number(carl) + ":cron:" + firing);
        enable("cron-check");

        awaitRun("cron-check", cara, "SUCCEEDED");
        awaitRun("cron-check", carl, "SUCCEEDED");
        assertThat(runs("cron-check", null)).extracting(r -> r.get("entry") + " " + r.get("triggerEvent"))
                .containsExactlyInAnyOrder(cara + " customers:" + number(cara) + ":cron:" + firing,
                        carl + " customers:" + number(carl) + ":cron:" + firing);
        assertThat(runs("cron-check", nick)).isEmpty();
        assertThat(allNodes("supportTickets", "subject").stream().map(t -> (String) t.get("subject"))
                .filter(s -> s.startsWith("Cron check")).toList()).containsExactlyInAnyOrder("Cron check: Cara Cron", "Cron check: Carl Cron");
        assertThat(error("mutation { saveWorkflow(yaml: \"name: bad-cron\\ntrigger: {on: cron, cron: 'every monday'}\\nsteps:\\n"
                + "  - wait: {days: 1}\") { name } }").getMessage()).isEqualTo("The workflow cannot be used: workflow 'bad-cron':"
                + " trigger.cron: the cron schedule 'every monday' cannot be read: Cron expression must consist of 6 fields"
                + " (found 2 in \"every monday\") (six fields: second minute hour day-of-month month day-of-week)");
    }

    @Test
    @Order(10)
    @SuppressWarnings("unchecked")
    void aWorkflowsOwnWriteDoesNotRestartItButStartsOtherWorkflows() throws Exception {
        // "touch" writes the company that triggered it: with loop-depth 0 that write starts no second run of it.
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", """
                name: company-touch
                trigger: {on: updated, object: companies, field: account_type}
                steps:
                  - set: {credit_terms: "Net 30 from {{entry.account_type}}", account_type: Distributor}
                """));
        // "chain" creates a ticket, and that creation starts "notice", which calls the receiver.
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", """
                name: chain-ticket
                trigger: {on: created, object: companies, where: {company_name: {startsWith: "Chain"}}}
                steps:
                  - create: {object: support_tickets, values: {subject: "Chain: {{entry.company_name}}", priority: Low}}
                """));
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", """
                name: chain-notice
                trigger: {on: created, object: support_tickets, where: {subject: {startsWith: "Chain:"}}}
                steps:
                  - webhook: {url: "%s"}
                """.formatted(RECEIVER.url("/chain"))));
        for (String name : List.of("company-touch", "chain-ticket", "chain-notice")) {
            enable(name);
        }
        String touched = run("mutation { createCompany(input: { companyName: \"Touch Ltd\", accountType: RETAIL }) { id } }")
                .path("createCompany.id").entity(String.class).get();
        run("mutation($id: ID!) { updateCompany(id: $id, input: { accountType: WHOLESALE }) { id } }", Map.of("id", touched));
        Map<String, Object> touch = awaitRun("company-touch", touched, "SUCCEEDED");
        assertThat(touch.get("triggerEvent").toString()).startsWith("companies:" + number(touched) + ":updated:");
        String chain = run("mutation { createCompany(input: { companyName: \"Chain Co\" }) { id } }").path("createCompany.id")
                .entity(String.class).get();
        Map<String, Object> ticketRun = awaitNoticeRun();
        List<Map<String, Object>> tickets = allNodes("supportTickets", "id subject priority").stream()
                .filter(t -> ((String) t.get("subject")).startsWith("Chain")).toList();
        assertThat(tickets).extracting(t -> t.get("subject") + " " + t.get("priority")).containsExactly("Chain: Chain Co LOW");
        assertThat(ticketRun).containsEntry("entry", tickets.get(0).get("id")).containsEntry("entryObject", "support_tickets");
        assertThat(awaitRun("chain-ticket", chain, "SUCCEEDED").get("triggerEvent")).isEqualTo("companies:" + number(chain) + ":created");
        List<WebhookReceiver.Delivery> notices = RECEIVER.deliveries("/chain");
        assertThat(notices).hasSize(1);
        assertThat(((Map<String, Object>) JSON.readValue(notices.get(0).body(), Map.class).get("entry")))
                .containsEntry("subject", "Chain: Chain Co");

        // The chain's runs came after the touch's own write, and events are taken in order: that write started nothing.
        assertThat(runs("company-touch", touched)).hasSize(1);
        assertThat(run("query($id: ID!) { company(id: $id) { accountType creditTerms } }", Map.of("id", touched))
                .path("company").entity(Map.class).get()).containsEntry("accountType", "DISTRIBUTOR")
                .containsEntry("creditTerms", "Net 30 from Wholesale");
        assertThat(runs("chain-ticket", null)).hasSize(1);
    }

    @Test
    @Order(11)
    void aDeletedTriggerTestsItsWhereOnTheEntryAsItWasBeforeTheDeletion() {
        run("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", """
                name: big-order-removed
                trigger: {on: deleted, object: orders, where: {total_amount: {gt: 100}, customer: {email: {endsWith: "@gone.test"}}}}
                target: customer
                steps:
                  - set: {notes: "A big order of {{entry.full_name}} was removed"}
                """));
        enable("big-order-removed");
        String gina = customer("Gina Gone", "gina@gone.test");
        String hal = customer("Hal Kept", "hal@kept.test");
        String small = order(gina, "GONE-SMALL", now(), null);
        String big = bigOrder(gina, "GONE-BIG");
        String halsBig = bigOrder(hal, "KEPT-BIG");
        // Too small, then the wrong customer's: neither matches; the third one does.
        for (String order : List.of(small, halsBig, big)) {
            run("mutation($id: ID!) { deleteOrder(id: $id) { id } }", Map.of("id", order));
        }
        Map<String, Object> removed = awaitRun("big-order-removed", gina, "SUCCEEDED");
        assertThat(removed).containsEntry("entryObject", "customers").containsEntry("triggerEvent", "orders:" + number(big) + ":deleted");
        assertThat(runs("big-order-removed", null)).hasSize(1);
        assertThat(run("query($id: ID!) { customer(id: $id) { notes } }", Map.of("id", gina)).path("customer.notes")
                .entity(String.class).get()).isEqualTo("A big order of Gina Gone was removed");
        run("query($id: ID!) { customer(id: $id) { notes } }", Map.of("id", hal)).path("customer.notes").valueIsNull();
    }

    private String bigOrder(String customer, String number) {
        return run("mutation($c: ID!, $n: String!) { createOrder(input: { orderNumber: $n, customerId: $c, totalAmount: 500 }) { id } }",
                Map.of("c", customer, "n", number)).path("createOrder.id").entity(String.class).get();
    }

    private Map<String, Object> awaitNoticeRun() {
        await("a chain-notice run", () -> runs("chain-notice", null).stream().anyMatch(r -> "SUCCEEDED".equals(r.get("state"))));
        List<Map<String, Object>> runs = runs("chain-notice", null);
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    // --- helpers ---

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private String customer(String name, String email) {
        return run("mutation($n: String!, $e: String!) { createCustomer(input: { fullName: $n, email: $e }) { id } }",
                Map.of("n", name, "e", email)).path("createCustomer.id").entity(String.class).get();
    }

    private String order(String customer, String number, OffsetDateTime at, String deliveredAt) {
        return run("mutation($c: ID!, $n: String!, $at: DateTime!, $d: DateTime) { createOrder(input: { orderNumber: $n,"
                + " customerId: $c, totalAmount: 40, orderDate: $at, status: DELIVERED, deliveredAt: $d }) { id } }",
                deliveredAt == null ? Map.of("c", customer, "n", number, "at", at.toString())
                        : Map.of("c", customer, "n", number, "at", at.toString(), "d", deliveredAt))
                .path("createOrder.id").entity(String.class).get();
    }

    private void returned(String order, String customer) {
        run("mutation($o: ID!, $c: ID!) { createReturn(input: { orderId: $o, customerId: $c, amount: 40 }) { id } }",
                Map.of("o", order, "c", customer)).path("createReturn.id").entity(String.class).get();
    }

    private void segmentMove(String customer, String from, String to) {
        run("mutation($c: ID!, $f: String, $t: String, $at: DateTime) { createSegmentChange(input: { customerId: $c,"
                + " ruleSet: \"recency-value\", fromSegment: $f, toSegment: $t, changedAt: $at }) { id } }",
                Map.of("c", customer, "f", from, "t", to, "at", now().toString())).path("createSegmentChange.id").entity(String.class).get();
    }

    private void enable(String workflow) {
        run("mutation($n: String!) { enableWorkflow(name: $n, enabled: true) { enabled } }", Map.of("n", workflow))
                .path("enableWorkflow.enabled").entity(Boolean.class).isEqualTo(true);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> simulate(String workflow) {
        return run("query($n: String) { simulateWorkflow(name: $n) { workflow wouldStart runs { entryObject entry triggerEvent actions } } }",
                Map.of("n", workflow)).path("simulateWorkflow").entity(Map.class).get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> health(String workflow) {
        return run("{ workflowHealth { workflow enabled lastTriggerEvaluatedAt pendingRuns oldestPendingDueAt lagSeconds failedRuns deadLetters } }")
                .path("workflowHealth").entityList(Map.class).get().stream().map(h -> (Map<String, Object>) h)
                .filter(h -> workflow.equals(h.get("workflow"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> runs(String workflow, String entry) {
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("w", workflow);
        variables.put("e", entry);
        return run("query($w: String, $e: ID) { workflowRuns(workflow: $w, entry: $e) { id workflow entryObject entry triggerEvent"
                + " state attempts error steps { step action state attempts messageId detail } } }", variables)
                .path("workflowRuns").entityList(Map.class).get().stream().map(r -> (Map<String, Object>) r).toList();
    }

    private Map<String, Object> awaitRun(String workflow, String entry, String state) {
        await(workflow + " run for " + entry + " in state " + state,
                () -> runs(workflow, entry).stream().anyMatch(r -> state.equals(r.get("state"))));
        List<Map<String, Object>> runs = runs(workflow, entry);
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    private List<MimeMessage> mailsTo(String address) {
        return SMTP.to(address);
    }

    private List<String> subjects(String address) {
        return SMTP.subjects(address);
    }

    private List<MimeMessage> awaitMails(String address, int count) {
        await(count + " emails to " + address, () -> mailsTo(address).size() >= count);
        List<MimeMessage> mails = mailsTo(address);
        assertThat(mails).hasSize(count);
        return mails;
    }

    private static void await(String what, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            sleep(100);
        }
    }

    private static long number(String globalId) {
        String decoded = new String(java.util.Base64.getUrlDecoder().decode(globalId), StandardCharsets.UTF_8);
        return Long.parseLong(decoded.substring(decoded.indexOf(':') + 1));
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
