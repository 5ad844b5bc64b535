package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Product;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The products the store sells, spread evenly over the categories in {@link Names#CATEGORIES}. */
final class CatalogGenerator {

    private static final BigDecimal CENTS_99 = new BigDecimal("0.99");
    private static final Weighted<String> STATUSES = Weighted.of("Active", 85).or("Archived", 10).or("Draft", 5);

    private final DemoRandom random;

    CatalogGenerator(DemoRandom random) {
        this.random = random;
    }

    List<Product> products(int count) {
        List<Names.Category> categories = Names.CATEGORIES;
        List<Product> products = new ArrayList<>(count);
        for (int c = 0; c < categories.size(); c++) {
            Names.Category category = categories.get(c);
            int share = count / categories.size() + (c < count % categories.size() ? 1 : 0);
            List<String> names = random.shuffled(namesOf(category));
            for (int i = 0; i < share; i++) {
                // Past every adjective-noun pair, a numbered edition keeps names distinct.
                String name = names.get(i % names.size()) + (i < names.size() ? "" : " No. " + (i / names.size() + 1));
                String sku = category.skuPrefix() + "-" + (1001 + i);
                int dollars = random.between(category.minPrice(), category.maxPrice() - 1);
                BigDecimal price = BigDecimal.valueOf(dollars).add(CENTS_99);
                products.add(new Product(name, sku, price, category.name(), STATUSES.draw(random)));
            }
        }
        return products;
    }

    private static List<String> namesOf(Names.Category category) {
        List<String> names = new ArrayList<>();
        for (String adjective : Names.PRODUCT_ADJECTIVES) {
            for (String product : category.products()) {
                names.add(adjective + " " + product);
            }
        }
        return names;
    }
}
