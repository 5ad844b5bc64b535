package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.api.sync.SyncRun;
import dev.storefront.crm.api.sync.SyncSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Customers from the Shopify Admin GraphQL API, page by page ({@code first}/{@code after},
 * {@code sortKey: UPDATED_AT}). A later run asks only for {@code updated_at:>'<since>'}, where since
 * is when the previous run began on Shopify's clock (its Date header) less
 * {@code sync-overlap-seconds} (default 300): a customer changed while a run paged is read by the
 * next one, and one read twice is not written again (the host writes only what differs). Run it as
 * job {@code graphql-sync}; {@code {"full": true}} starts over.
 */
@Extension
public class CustomerSync implements SyncSource<CustomerSync.Cursor> {

    static final String QUERY = """
            query CustomersUpdatedSince($first: Int!, $after: String, $query: String) {
              customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
                edges { cursor node { id firstName lastName defaultEmailAddress { emailAddress }
                  defaultPhoneNumber { phoneNumber } updatedAt note tags } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    /** Pacing lasts across pages and runs: one bucket per store. */
    private final Map<String, Bucket> buckets = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param after   Shopify's page cursor (endCursor of the last page written), null for the first page
     * @param since   the updated_at filter of this run (ISO instant), or when done of the next; null for all
     * @param started Shopify's clock at this run's first answer, null before it
     */
    public record Cursor(boolean done, String after, String since, String started) {
    }

    @Override
    public String name() {
        return "graphql-sync";
    }

    @Override
    public String description() {
        return "Customers from the Shopify Admin GraphQL API, paced by query cost; later runs fetch only changes";
    }

    @Override
    public CursorFormat<Cursor> cursorFormat() {
        return new CursorFormat<>() {
            @Override
            public String write(Cursor c) {
                return (c.done() ? "done" : "customers") + "|" + text(c.after()) + "|" + text(c.since()) + "|" + text(c.started());
            }

            @Override
            public Cursor read(String text) {
                String[] parts = text.split("\\|", -1);
                return new Cursor(parts[0].equals("done"), nullIfEmpty(parts[1]), nullIfEmpty(parts[2]), nullIfEmpty(parts[3]));
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public SyncPage<Cursor> poll(Cursor cursor, SyncRun run, PluginContext context) throws Exception {
        Cursor at = cursor == null ? new Cursor(false, null, null, null)
                : cursor.done() ? new Cursor(false, null, cursor.since(), null) : cursor;
        String shop = context.requireConfig("shop");
        ShopifyClient client = new ShopifyClient(context, run.args(), buckets.computeIfAbsent(shop, s -> new Bucket()));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("first", Integer.parseInt(context.config("page-size").orElse("50")));
        variables.put("after", at.after());
        variables.put("query", at.since() == null ? null : "updated_at:>'" + at.since() + "'");
        ShopifyClient.Answer answer = client.query(QUERY, variables);
        String started = at.started() != null ? at.started()
                : (answer.storeTime() != null ? answer.storeTime() : Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> customers = (Map<String, Object>) answer.data().get("customers");
        List<SyncRecord> records = new ArrayList<>();
        for (Map<String, Object> edge : (List<Map<String, Object>>) customers.get("edges")) {
            records.add(customer(shop, (Map<String, Object>) edge.get("node")));
        }
        Map<String, Object> pageInfo = (Map<String, Object>) customers.get("pageInfo");
        if (Boolean.TRUE.equals(pageInfo.get("hasNextPage"))) {
            return new SyncPage<>(records, new Cursor(false, (String) pageInfo.get("endCursor"), at.since(), started), false, -1);
        }
        int overlap = Integer.parseInt(context.config("sync-overlap-seconds").orElse("300"));
        String next = Instant.parse(started).minusSeconds(overlap).toString();
        return new SyncPage<>(records, new Cursor(true, null, next, null), true, -1);
    }

    /** A customer node as a record keyed by shop and GID, then by email. */
    private static SyncRecord customer(String shop, Map<String, Object> node) {
        String first = ShopifyWrites.text(node.get("firstName"));
        String last = ShopifyWrites.text(node.get("lastName"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("shopify_key", shop + "/" + node.get("id"));
        values.put("shopify_shop", shop);
        values.put("shopify_updated_at", node.get("updatedAt"));
        values.put("email", ShopifyWrites.text(ShopifyWrites.map(node.get("defaultEmailAddress")).get("emailAddress")));
        values.put("first_name", first);
        values.put("last_name", last);
        values.put("full_name", ShopifyWrites.fullName(first, last));
        values.put("phone", ShopifyWrites.text(ShopifyWrites.map(node.get("defaultPhoneNumber")).get("phoneNumber")));
        values.put("tags", node.get("tags"));
        values.put("notes", ShopifyWrites.text(node.get("note")));
        return new SyncRecord("customers", List.of("shopify_key", "email"), values);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
