package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Company;
import dev.storefront.crm.demo.DemoData.Customer;
import dev.storefront.crm.demo.DemoData.Person;
import dev.storefront.crm.demo.DemoData.Product;
import dev.storefront.crm.demo.DemoData.Ticket;
import dev.storefront.crm.demo.PurchasePlanner.Placement;
import java.time.LocalDate;
import java.util.List;

/**
 * Builds a whole demo store in memory, spread over the two years before {@code today}. The same
 * seed and the same day give the same store, down to the order of rows.
 */
final class DemoDataGenerator {

    private static final int ORDERS_PER_CUSTOMER = 5;
    private static final int PRODUCTS = 200;
    private static final int CUSTOMERS_PER_COMPANY = 25;
    private static final double TICKETS_PER_CUSTOMER = 0.75;

    private final long seed;
    private final int customers;
    private final LocalDate today;
    private final int orders;

    DemoDataGenerator(long seed, int customers, LocalDate today) {
        this(seed, customers, customers * ORDERS_PER_CUSTOMER, today);
    }

    DemoDataGenerator(long seed, int customers, int orders, LocalDate today) {
        if (customers < 1) {
            throw new IllegalArgumentException("A demo store needs at least one customer, not " + customers);
        }
        this.seed = seed;
        this.customers = customers;
        this.today = today;
        this.orders = orders;
    }

    /** Each stage draws from its own split of the seed, so changing one stage leaves the others' data alone. */
    DemoData generate() {
        DemoRandom random = new DemoRandom(seed);
        List<Product> products = new CatalogGenerator(random.split()).products(PRODUCTS);
        PeopleGenerator peopleGenerator = new PeopleGenerator(random.split());
        List<Company> companies = peopleGenerator.companies(Math.max(1, customers / CUSTOMERS_PER_COMPANY));
        List<Person> people = peopleGenerator.people(customers, companies.size());
        List<Placement> placements = new PurchasePlanner(random.split(), today)
                .plan(customers, orders);
        OrderBook book = new OrderGenerator(random.split(), today, products).generate(placements, people);
        List<Customer> summaries = CustomerSummaries.of(people, book, today);
        CampaignGenerator.Sends sends = new CampaignGenerator(random.split(), today).generate(summaries, book);
        List<Ticket> tickets = new TicketGenerator(random.split(), today)
                .generate(customers, book, (int) Math.round(customers * TICKETS_PER_CUSTOMER));
        return new DemoData(companies, products, summaries, book.orders(), book.items(), sends.campaigns(),
                sends.recipients(), book.returns(), tickets);
    }
}
