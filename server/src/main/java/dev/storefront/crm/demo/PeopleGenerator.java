package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Company;
import dev.storefront.crm.demo.DemoData.Person;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Who buys: business accounts, and people with unique emails, matching addresses and phones. */
final class PeopleGenerator {

    private static final Weighted<String> SOURCES = Weighted.of("Organic Search", 28).or("Paid Ads", 22)
            .or("Social", 18).or("Email", 12).or("Referral", 10).or("Direct", 10);
    private static final Weighted<String> ACCOUNT_TYPES = Weighted.of("Retail", 50).or("Wholesale", 30)
            .or("Distributor", 20);
    private static final List<String> CREDIT_TERMS = List.of("Net 15", "Net 30", "Net 30", "Net 45", "Net 60", "Prepaid");

    private final DemoRandom random;

    PeopleGenerator(DemoRandom random) {
        this.random = random;
    }

    List<Company> companies(int count) {
        List<String> names = new ArrayList<>();
        for (String prefix : Names.COMPANY_PREFIXES) {
            for (String suffix : Names.COMPANY_SUFFIXES) {
                names.add(prefix + " " + suffix);
            }
        }
        List<String> shuffled = random.shuffled(names);
        List<Company> companies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = shuffled.get(i % shuffled.size()) + (i < shuffled.size() ? "" : " " + (i / shuffled.size() + 1));
            companies.add(new Company(name, ACCOUNT_TYPES.draw(random), random.pick(CREDIT_TERMS)));
        }
        return companies;
    }

    /** The {@code index} makes each email unique however often a name repeats. */
    List<Person> people(int count, int companies) {
        List<Person> people = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = random.pick(Names.FIRST_NAMES);
            String last = random.pick(Names.LAST_NAMES);
            String email = (first + "." + last + "." + (i + 1)).toLowerCase(Locale.ROOT) + "@"
                    + random.pick(Names.EMAIL_DOMAINS);
            Names.City city = random.pick(Names.CITIES);
            // 555-0100 to 555-0199 are set aside for fiction, so no real line is ever listed.
            String phone = random.chance(0.8) ? "+1 " + city.areaCode() + "-555-01" + twoDigits() : null;
            Integer company = companies > 0 && random.chance(0.08) ? random.between(0, companies - 1) : null;
            String note = random.chance(0.04) ? random.pick(Names.CUSTOMER_NOTES) : null;
            people.add(new Person(first, last, email, phone, company, random.chance(0.6), SOURCES.draw(random),
                    address(city), note));
        }
        return people;
    }

    private String address(Names.City city) {
        return random.between(1, 9999) + " " + random.pick(Names.STREETS) + " " + random.pick(Names.STREET_TYPES)
                + ", " + city.name() + ", " + city.state() + " " + city.zipPrefix() + twoDigits();
    }

    private String twoDigits() {
        return String.format(Locale.ROOT, "%02d", random.between(0, 99));
    }
}
