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
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * Customers, then products, then orders (with line items and refunds) from the Shopify Admin
 * GraphQL API, page by page ({@code first}/{@code after}, {@code sortKey: UPDATED_AT}); customers and
 * products first so an order's page finds the entries it points at. A later run asks only for
 * {@code updated_at:>'<since>'}, where since is when the previous run began on Shopify's clock (its
 * Date header) less {@code sync-overlap-seconds} (default 300): a record changed while a run paged is
 * read by the next one, and one read twice is not written again (the host writes only what
 * differs). Run it as job {@code graphql-sync}; {@code {"full": true}} starts over.
 */
@Extension
public class AdminSync implements SyncSource<AdminSync.Cursor> {

    /** The connections read in a run, in order. */
    private static final List<String> STREAMS = List.of("customers", "products", "orders");

    /** Pacing lasts across pages and runs: one bucket per store. */
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param stream  the connection being read (customers, products, orders), or done (the run finished)
     * @param after   Shopify's page cursor (endCursor of the last page written), null for a stream's first page
     * @param since   the updated_at filter of this run (ISO instant), or when done of the next; null for all
     * @param started Shopify's clock at this run's first answer, null before it
     */
    public record Cursor(String stream, String after, String since, String started) {
    }

    @Override
    public String name() {
        return "graphql-sync";
    }

    @Override
    public String description() {
        return "Customers, products and orders (with line items and refunds) from the Shopify Admin GraphQL API, "
                + "paced by query cost; later runs fetch only changes";
    }

    @Override
    public CursorFormat<Cursor> cursorFormat() {
        return new CursorFormat<>() {
            @Override
            public String write(Cursor c) {
                return c.stream() + "|" + text(c.after()) + "|" + text(c.since()) + "|" + text(c.started());
            }

            @Override
            public Cursor read(String text) {
                String[] parts = text.split("\\|", -1);
                return new Cursor(parts[0], nullIfEmpty(parts[1]), nullIfEmpty(parts[2]), nullIfEmpty(parts[3]));
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public SyncPage<Cursor> poll(Cursor cursor, SyncRun run, PluginContext context) throws Exception {
        Cursor at = cursor == null ? new Cursor(STREAMS.get(0), null, null, null)
                : cursor.stream().equals("done") ? new Cursor(STREAMS.get(0), null, cursor.since(), null) : cursor;
        String shop = context.requireConfig("shop");
        ShopifyClient client = new ShopifyClient(context, run.args(), buckets.computeIfAbsent(shop, s -> new Bucket()));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("first", Integer.parseInt(context.config("page-size").orElse("50")));
        variables.put("after", at.after());
        variables.put("query", at.since() == null ? null : "updated_at:>'" + at.since() + "'");
        ShopifyClient.Answer answer = client.query(AdminRecords.query(at.stream()), variables);
        String started = at.started() != null ? at.started()
                : (answer.storeTime() != null ? answer.storeTime() : Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> connection = (Map<String, Object>) answer.data().get(at.stream());
        AdminRecords records = new AdminRecords(shop);
        List<SyncRecord> page = new ArrayList<>();
        for (Map<String, Object> edge : (List<Map<String, Object>>) connection.get("edges")) {
            page.addAll(records.of(at.stream(), (Map<String, Object>) edge.get("node")));
        }
        Map<String, Object> pageInfo = (Map<String, Object>) connection.get("pageInfo");
        if (Boolean.TRUE.equals(pageInfo.get("hasNextPage"))) {
            return new SyncPage<>(page, new Cursor(at.stream(), (String) pageInfo.get("endCursor"), at.since(), started), false, -1);
        }
        int next = STREAMS.indexOf(at.stream()) + 1;
        if (next < STREAMS.size()) {
            return new SyncPage<>(page, new Cursor(STREAMS.get(next), null, at.since(), started), false, -1);
        }
        int overlap = Integer.parseInt(context.config("sync-overlap-seconds").orElse("300"));
        String since = Instant.parse(started).minusSeconds(overlap).toString();
        return new SyncPage<>(page, new Cursor("done", null, since, null), true, -1);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
