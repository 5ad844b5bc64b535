package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Campaign;
import dev.storefront.crm.demo.DemoData.Company;
import dev.storefront.crm.demo.DemoData.Customer;
import dev.storefront.crm.demo.DemoData.Order;
import dev.storefront.crm.demo.DemoData.OrderItem;
import dev.storefront.crm.demo.DemoData.OrderReturn;
import dev.storefront.crm.demo.DemoData.Person;
import dev.storefront.crm.demo.DemoData.Product;
import dev.storefront.crm.demo.DemoData.Recipient;
import dev.storefront.crm.demo.DemoData.Ticket;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a generated store through {@link EntryService}, so every row passes the same checks as a
 * client's write. Parents go before children, and each list index becomes the id its row received.
 */
final class DemoWriter {

    /** Rows per call: large enough that per-call checks cost little, small enough to bind comfortably. */
    private static final int CHUNK = 2_500;

    private final EntryService entries;
    private final MetadataSnapshot model;
    private final Map<String, Integer> written = new LinkedHashMap<>();

    DemoWriter(EntryService entries, MetadataSnapshot model) {
        this.entries = entries;
        this.model = model;
    }

    /** Returns how many rows each object received, in the order written. */
    Map<String, Integer> write(DemoData data) {
        List<Long> companies = insert("companies", data.companies(), DemoWriter::company);
        List<Long> products = insert("products", data.products(), DemoWriter::product);
        List<Long> customers = insert("customers", data.customers(), c -> customer(c, companies));
        List<Long> orders = insert("orders", data.orders(), o -> order(o, customers));
        insert("order_items", data.orderItems(), i -> orderItem(i, orders, products));
        List<Long> campaigns = insert("campaigns", data.campaigns(), DemoWriter::campaign);
        insert("campaign_recipients", data.recipients(), r -> recipient(r, campaigns, customers));
        insert("returns", data.returns(), r -> orderReturn(r, orders, customers));
        insert("support_tickets", data.tickets(), t -> ticket(t, orders, customers));
        return Collections.unmodifiableMap(written);
    }

    private <T> List<Long> insert(String objectName, List<T> items, Function<T, Map<String, Object>> toRow) {
        ObjectDef object = model.object(objectName);
        List<Long> ids = new ArrayList<>(items.size());
        for (int from = 0; from < items.size(); from += CHUNK) {
            List<Map<String, Object>> rows = items.subList(from, Math.min(from + CHUNK, items.size())).stream()
                    .map(toRow).toList();
            entries.createAll(object, rows).stream().map(Entry::id).forEach(ids::add);
        }
        written.put(objectName, ids.size());
        return ids;
    }

    private static Map<String, Object> company(Company company) {
        Map<String, Object> row = new HashMap<>();
        row.put("company_name", company.name());
        row.put("account_type", company.accountType());
        row.put("credit_terms", company.creditTerms());
        return row;
    }

    private static Map<String, Object> product(Product product) {
        Map<String, Object> row = new HashMap<>();
        row.put("name", product.name());
        row.put("sku", product.sku());
        row.put("price", product.price());
        row.put("category", product.category());
        row.put("status", product.status());
        return row;
    }

    private static Map<String, Object> customer(Customer customer, List<Long> companies) {
        Person person = customer.person();
        Map<String, Object> row = new HashMap<>();
        row.put("full_name", person.fullName());
        row.put("first_name", person.firstName());
        row.put("last_name", person.lastName());
        row.put("email", person.email());
        row.put("phone", person.phone());
        row.put("company", person.company() == null ? null : companies.get(person.company()));
        row.put("accepts_marketing", person.acceptsMarketing());
        row.put("tags", customer.tags());
        row.put("total_orders", customer.stats().orders());
        row.put("lifetime_value", customer.stats().lifetimeValue());
        row.put("average_order_value", customer.stats().averageOrderValue());
        row.put("first_purchase_date", customer.stats().firstPurchase());
        row.put("last_purchase_date", customer.stats().lastPurchase());
        row.put("return_rate", customer.returnRate());
        row.put("customer_segment", customer.segment());
        row.put("acquisition_source", person.source());
        row.put("notes", person.note());
        return row;
    }

    private static Map<String, Object> order(Order order, List<Long> customers) {
        Map<String, Object> row = new HashMap<>();
        row.put("order_number", order.number());
        row.put("customer", customers.get(order.customer()));
        row.put("order_date", order.placedAt());
        row.put("total_amount", order.total());
        row.put("currency", "USD");
        row.put("status", order.status());
        row.put("items", order.items());
        row.put("shipping_address", order.shippingAddress());
        row.put("delivered_at", order.deliveredAt());
        return row;
    }

    private static Map<String, Object> orderItem(OrderItem item, List<Long> orders, List<Long> products) {
        Map<String, Object> row = new HashMap<>();
        row.put("order", orders.get(item.order()));
        row.put("product", products.get(item.product()));
        row.put("quantity", item.quantity());
        row.put("unit_price", item.unitPrice());
        return row;
    }

    private static Map<String, Object> campaign(Campaign campaign) {
        Map<String, Object> row = new HashMap<>();
        row.put("campaign_name", campaign.name());
        row.put("segment_targeted", campaign.segment());
        row.put("channel", campaign.channel());
        row.put("launch_date", campaign.launch());
        row.put("offer", campaign.offer());
        row.put("customers_targeted", campaign.targeted());
        row.put("open_rate", campaign.openRate());
        row.put("revenue_generated", campaign.revenue());
        return row;
    }

    private static Map<String, Object> recipient(Recipient recipient, List<Long> campaigns, List<Long> customers) {
        Map<String, Object> row = new HashMap<>();
        row.put("campaign", campaigns.get(recipient.campaign()));
        row.put("customer", customers.get(recipient.customer()));
        row.put("sent_at", recipient.sentAt());
        row.put("opened", recipient.opened());
        row.put("revenue", recipient.revenue());
        return row;
    }

    private static Map<String, Object> orderReturn(OrderReturn sentBack, List<Long> orders, List<Long> customers) {
        Map<String, Object> row = new HashMap<>();
        row.put("order", orders.get(sentBack.order()));
        row.put("customer", customers.get(sentBack.customer()));
        row.put("return_date", sentBack.date());
        row.put("reason", sentBack.reason());
        row.put("resolution", sentBack.resolution());
        row.put("status", sentBack.status());
        row.put("amount", sentBack.amount());
        return row;
    }

    private static Map<String, Object> ticket(Ticket ticket, List<Long> orders, List<Long> customers) {
        Map<String, Object> row = new HashMap<>();
        row.put("customer", customers.get(ticket.customer()));
        row.put("order", ticket.order() == null ? null : orders.get(ticket.order()));
        row.put("subject", ticket.subject());
        row.put("priority", ticket.priority());
        row.put("status", ticket.status());
        row.put("opened_at", ticket.openedAt());
        row.put("resolved_at", ticket.resolvedAt());
        return row;
    }
}
