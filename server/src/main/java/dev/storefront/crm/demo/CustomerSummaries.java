package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Customer;
import dev.storefront.crm.demo.DemoData.Person;
import dev.storefront.crm.demo.DemoData.PurchaseStats;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Customers as generated: each person with the segment and tags their planned orders suggest. */
final class CustomerSummaries {

    private CustomerSummaries() {
    }

    static List<Customer> of(List<Person> people, OrderBook book, LocalDate today) {
        List<Customer> customers = new ArrayList<>(people.size());
        for (int i = 0; i < people.size(); i++) {
            Person person = people.get(i);
            PurchaseStats stats = book.stats(i);
            int returned = book.returnedOrders(i);
            String segment = Segments.of(stats, today);
            customers.add(new Customer(person, stats, segment, tags(person, returned, segment)));
        }
        return customers;
    }

    private static List<String> tags(Person person, int returned, String segment) {
        List<String> tags = new ArrayList<>();
        if ("VIP".equals(segment)) {
            tags.add("vip");
        }
        if (person.company() != null) {
            tags.add("b2b");
        }
        if (person.acceptsMarketing()) {
            tags.add("newsletter");
        }
        if (returned >= 2) {
            tags.add("frequent-returner");
        }
        return List.copyOf(tags);
    }
}
