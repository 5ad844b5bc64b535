package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import dev.storefront.crm.schema.SchemaService;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A created order adds its contribution to its customer's stored metrics instead of recomputing all
 * the customer's orders: orders of every shape (cancelled, the first ever, without a total or a date,
 * before the first and after the last, a batch for two customers, a customer with returns) leave the
 * values the test works out from what it wrote, and a full recompute afterwards changes nothing.
 * Rollups that cannot add a row's share (an average, a count of distinct values, a sum rounded to
 * fewer places) are recomputed instead, with the same outcome.
 */
class AddedOrdersE2EIT extends E2ESupport {

    private static final String METRICS = "totalOrders countedOrderTotal refundedAmount lifetimeValue averageOrderValue"
            + " firstPurchaseDate lastPurchaseDate returnedOrders returnRate";

    @Autowired
    private SchemaService schema;

    /** What the test wrote: each order and each customer's refunded amounts. */
    private final List<Order> orders = new ArrayList<>();
    private final Map<String, BigDecimal> refunds = new LinkedHashMap<>();

    private record Order(String customer, String total, String at, String status) {
    }

    private String customer(String name) {
        return run("mutation { createCustomer(input: { fullName: \"" + name + "\" }) { id } }").path("createCustomer.id").entity(String.class).get();
    }

    private static String input(Order order) {
        return "{ orderNumber: \"" + unique("a") + "\"" + (order.customer() == null ? "" : ", customerId: \"" + order.customer() + "\"")
                + (order.total() == null ? "" : ", totalAmount: " + order.total()) + (order.at() == null ? "" : ", orderDate: \"" + order.at() + "\"")
                + ", status: " + order.status() + " }";
    }

    private String order(String customer, String total, String at, String status) {
        Order order = new Order(customer, total, at, status);
        orders.add(order);
        return run("mutation { createOrder(input: " + input(order) + ") { id } }").path("createOrder.id").entity(String.class).get();
    }

    /** Creates the orders in one mutation (one write, several new rows per customer). */
    private void orders(Order... batch) {
        orders.addAll(List.of(batch));
        run("mutation { createOrders(inputs: [" + String.join(", ", List.of(batch).stream().map(AddedOrdersE2EIT::input).toList())
                + "]) { id } }").path("createOrders[*].id").entityList(String.class).hasSize(batch.length);
    }

    private void refundedReturn(String customer, String order, String amount) {
        run("mutation { createReturn(input: { orderId: \"" + order + "\", customerId: \"" + customer + "\", resolution: REFUND, amount: "
                + amount + " }) { id } }");
        refunds.merge(customer, new BigDecimal(amount), BigDecimal::add);
    }

    private Map<String, Object> metrics(String customer) {
        return run("{ customer(id: \"" + customer + "\") { " + METRICS + " } }").path("customer").entity(Map.class).get();
    }

    /** The metrics as README defines them, from the orders and refunds this test wrote. */
    private Map<String, Object> expected(String customer, int returned) {
        List<Order> counted = orders.stream().filter(o -> customer.equals(o.customer()) && !o.status().equals("CANCELLED")).toList();
        BigDecimal total = counted.stream().map(Order::total).filter(Objects::nonNull).map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal refunded = refunds.getOrDefault(customer, BigDecimal.ZERO);
        List<String> days = counted.stream().map(Order::at).filter(Objects::nonNull)
                .map(at -> OffsetDateTime.parse(at).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString()).sorted().toList();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("totalOrders", counted.size());
        expected.put("countedOrderTotal", money(total));
        expected.put("refundedAmount", money(refunded));
        expected.put("lifetimeValue", money(total.subtract(refunded)));
        expected.put("averageOrderValue", counted.isEmpty() ? null : money(total.divide(BigDecimal.valueOf(counted.size()), 2, RoundingMode.HALF_UP)));
        expected.put("firstPurchaseDate", days.isEmpty() ? null : days.get(0));
        expected.put("lastPurchaseDate", days.isEmpty() ? null : days.get(days.size() - 1));
        expected.put("returnedOrders", returned);
        expected.put("returnRate", counted.isEmpty() ? null : BigDecimal.valueOf(returned).divide(BigDecimal.valueOf(counted.size()), 4,
                RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
        return expected;
    }

    private static String money(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    @Test
    void createdOrdersOfEveryShapeLeaveWhatAFullRecomputeGives() {
        String ann = customer("Ann Added");
        // Only a cancelled order: nothing is counted, the dates and rates stay empty.
        order(ann, "50.00", "2025-05-01T10:00:00Z", "CANCELLED");
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));
        // The first counted order, late in the evening of its day (the store's time zone is UTC).
        order(ann, "100.00", "2025-03-01T23:30:00Z", "DELIVERED");
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));
        // Counted without a total: the count moves, the sum does not.
        order(ann, null, "2025-03-05T08:00:00Z", "PENDING");
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));
        // Without a date: the first and last days stay.
        order(ann, "10.01", null, "SHIPPED");
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));
        // Before the first and after the last counted order.
        order(ann, "0.99", "2024-12-31T00:00:00+02:00", "DELIVERED");
        order(ann, "7.77", "2025-06-30T12:00:00Z", "FULFILLED");
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));
        // A cancelled order after the last one moves nothing.
        order(ann, "999.00", "2026-01-01T00:00:00Z", "CANCELLED");
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));

        // A customer with a refunded return: a new order keeps the refund and the returned order, and
        // lowers the return rate.
        String bea = customer("Bea Added");
        String returned = order(bea, "80.00", "2025-02-02T10:00:00Z", "DELIVERED");
        refundedReturn(bea, returned, "30.00");
        assertThat(metrics(bea)).isEqualTo(expected(bea, 1));
        order(bea, "19.99", "2025-02-10T10:00:00Z", "DELIVERED");
        order(bea, "0.01", "2025-01-01T10:00:00Z", "SHIPPED");
        assertThat(metrics(bea)).isEqualTo(expected(bea, 1));

        // One write of several orders for two customers, one cancelled, and one order of no customer.
        String cal = customer("Cal Added");
        String dee = customer("Dee Added");
        orders(new Order(cal, "12.50", "2025-06-01T09:00:00Z", "DELIVERED"),
                new Order(cal, "7.25", "2025-06-03T09:00:00Z", "SHIPPED"),
                new Order(cal, "3.00", "2025-05-01T09:00:00Z", "CANCELLED"),
                new Order(dee, "40.00", "2025-07-07T09:00:00Z", "DELIVERED"),
                new Order(null, "5.00", "2025-07-07T09:00:00Z", "DELIVERED"));
        assertThat(metrics(cal)).isEqualTo(expected(cal, 0));
        assertThat(metrics(dee)).isEqualTo(expected(dee, 0));
        orders(new Order(dee, "10.00", "2025-07-01T09:00:00Z", "DELIVERED"));
        assertThat(metrics(dee)).isEqualTo(expected(dee, 0));

        // Every stored value is what a recompute of all orders gives: it finds nothing to change.
        assertThat(run("mutation { recomputeRollups(object: \"customers\") }").path("recomputeRollups").entity(Integer.class).get()).isZero();
        assertThat(metrics(ann)).isEqualTo(expected(ann, 0));
        assertThat(metrics(bea)).isEqualTo(expected(bea, 1));
    }

    @Test
    void rollupsThatCannotAddARowAreRecomputed() {
        String shops = unique("shop");
        String sales = unique("sale");
        createObject(shops, List.of(field("Name", "TEXT")));
        createObject(sales, List.of(field("Shop", "RELATION", "relatedObject", shops), field("Amount", "NUMBER", "scale", 2),
                field("Kind", "TEXT")));
        schema.apply(List.of(
                new SchemaChange.AddField(shops, new FieldSpec("Sales", null, FieldKind.INTEGER, false, false, null, null, null, null,
                        new Computed.Rollup(sales, "shop", Computed.Aggregate.COUNT, null, null), null)),
                new SchemaChange.AddField(shops, new FieldSpec("Average Sale", null, FieldKind.NUMBER, false, false, null, null, null, null,
                        new Computed.Rollup(sales, "shop", Computed.Aggregate.AVG, "amount", null), 2)),
                new SchemaChange.AddField(shops, new FieldSpec("Kinds", null, FieldKind.INTEGER, false, false, null, null, null, null,
                        new Computed.Rollup(sales, "shop", Computed.Aggregate.COUNT_DISTINCT, "kind", null), null)),
                new SchemaChange.AddField(shops, new FieldSpec("Whole Total", null, FieldKind.NUMBER, false, false, null, null, null, null,
                        new Computed.Rollup(sales, "shop", Computed.Aggregate.SUM, "amount", null), 0))));
        String shop = ApiNames.pascal(shops + "_item");
        String sale = ApiNames.pascal(sales + "_item");
        String id = run("mutation { create" + shop + "(input: { name: \"Corner\" }) { id } }").path("create" + shop + ".id").entity(String.class).get();
        for (String[] row : List.of(new String[] {"1.25", "a"}, new String[] {"2.25", "b"}, new String[] {"0.40", "a"})) {
            run("mutation { create" + sale + "(input: { shopId: \"" + id + "\", amount: " + row[0] + ", kind: \"" + row[1] + "\" }) { id } }");
        }
        Map<?, ?> values = run("{ " + ApiNames.camel(shops + "_item") + "(id: \"" + id + "\") { sales averageSale kinds wholeTotal } }")
                .path(ApiNames.camel(shops + "_item")).entity(Map.class).get();
        // 3.90 / 3 = 1.30; 3.90 rounded to whole units is 4, where the units of each sale (1 + 2 + 0) add up to 3.
        assertThat(values.get("sales")).isEqualTo(3);
        assertThat(new BigDecimal(values.get("averageSale").toString())).isEqualByComparingTo("1.30");
        assertThat(values.get("kinds")).isEqualTo(2);
        assertThat(new BigDecimal(values.get("wholeTotal").toString())).isEqualByComparingTo("4");
        assertThat(run("mutation { recomputeRollups(object: \"" + shops + "\") }").path("recomputeRollups").entity(Integer.class).get()).isZero();
    }

    /**
     * A new row is in no entry's list yet, so what its lists say is decided without reading them: a
     * sale just made has no refund, so it counts as unrefunded (none), as having at most one refund (a
     * count that zero passes) and not as refunded (some). Its refund, once made, moves it.
     */
    @Test
    void conditionsOnANewRowsListsCountItsListEmpty() {
        String shops = unique("store");
        String sales = unique("sold");
        String refunds = unique("refund");
        createObject(shops, List.of(field("Name", "TEXT")));
        createObject(sales, List.of(field("Shop", "RELATION", "relatedObject", shops), field("Amount", "NUMBER", "scale", 2)));
        createObject(refunds, List.of(field("Sale", "RELATION", "relatedObject", sales)));
        String list = ApiNames.camel(refunds);
        schema.apply(List.of(
                new SchemaChange.AddField(shops, count("Unrefunded", sales, Map.of(list, Map.of("none", Map.of())))),
                new SchemaChange.AddField(shops, count("Refunded", sales, Map.of(list, Map.of("some", Map.of())))),
                new SchemaChange.AddField(shops, count("At Most One Refund", sales, Map.of(list, Map.of("count", Map.of("lte", 1))))),
                new SchemaChange.AddField(shops, count("Several Refunds", sales, Map.of(list, Map.of("count", Map.of("gte", 2)))))));
        String shop = ApiNames.pascal(shops + "_item");
        String sale = ApiNames.pascal(sales + "_item");
        String refund = ApiNames.pascal(refunds + "_item");
        String id = run("mutation { create" + shop + "(input: { name: \"Corner\" }) { id } }").path("create" + shop + ".id").entity(String.class).get();
        String first = run("mutation { create" + sale + "(input: { shopId: \"" + id + "\", amount: 5 }) { id } }")
                .path("create" + sale + ".id").entity(String.class).get();
        run("mutation { create" + sale + "(input: { shopId: \"" + id + "\", amount: 7 }) { id } }");
        String query = "{ " + ApiNames.camel(shops + "_item") + "(id: \"" + id + "\") { unrefunded refunded atMostOneRefund severalRefunds } }";
        assertThat(run(query).path(ApiNames.camel(shops + "_item")).entity(Map.class).get())
                .isEqualTo(Map.of("unrefunded", 2, "refunded", 0, "atMostOneRefund", 2, "severalRefunds", 0));

        run("mutation { create" + refund + "(input: { saleId: \"" + first + "\" }) { id } }");
        assertThat(run(query).path(ApiNames.camel(shops + "_item")).entity(Map.class).get())
                .isEqualTo(Map.of("unrefunded", 1, "refunded", 1, "atMostOneRefund", 2, "severalRefunds", 0));
        assertThat(run("mutation { recomputeRollups(object: \"" + shops + "\") }").path("recomputeRollups").entity(Integer.class).get()).isZero();
    }

    private static FieldSpec count(String name, String from, Map<String, Object> where) {
        return new FieldSpec(name, null, FieldKind.INTEGER, false, false, null, null, null, null,
                new Computed.Rollup(from, "shop", Computed.Aggregate.COUNT, null, where), null);
    }
}
