package dev.storefront.crm.demo;

import java.util.List;

/** Small built-in word lists: enough variety for a believable store, and no data files to ship. */
final class Names {

    static final List<String> FIRST_NAMES = List.of(
            "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
            "Mia", "Mason", "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Aiden", "Abigail", "Jackson",
            "Emily", "Sebastian", "Ella", "Mateo", "Chloe", "Henry", "Grace", "Owen", "Zoe", "Daniel",
            "Nora", "Samuel", "Lily", "David", "Hannah", "Carter", "Aria", "Wyatt", "Layla", "Julian",
            "Priya", "Wei", "Fatima", "Diego", "Yuki", "Omar", "Sofia", "Mohammed", "Ingrid", "Kwame");

    static final List<String> LAST_NAMES = List.of(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Patel", "Chen", "Kim", "Okafor", "Schmidt", "Rossi", "Tanaka", "Haddad", "Larsen", "Mensah");

    static final List<String> STREETS = List.of(
            "Maple", "Oak", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset",
            "Highland", "River", "Church", "Mill", "Spring", "Meadow", "Forest", "Willow", "Bay", "Ridge");

    static final List<String> STREET_TYPES = List.of("St", "Ave", "Rd", "Ln", "Blvd", "Dr", "Ct", "Way");

    /** A city with the start of its ZIP codes and its area code, so addresses and phones match. */
    record City(String name, String state, String zipPrefix, String areaCode) {
    }

    static final List<City> CITIES = List.of(
            new City("New York", "NY", "100", "212"), new City("Brooklyn", "NY", "112", "718"),
            new City("Los Angeles", "CA", "900", "213"), new City("San Francisco", "CA", "941", "415"),
            new City("Chicago", "IL", "606", "312"), new City("Houston", "TX", "770", "713"),
            new City("Austin", "TX", "787", "512"), new City("Phoenix", "AZ", "850", "602"),
            new City("Philadelphia", "PA", "191", "215"), new City("Seattle", "WA", "981", "206"),
            new City("Denver", "CO", "802", "303"), new City("Boston", "MA", "021", "617"),
            new City("Atlanta", "GA", "303", "404"), new City("Miami", "FL", "331", "305"),
            new City("Portland", "OR", "972", "503"), new City("Minneapolis", "MN", "554", "612"),
            new City("Nashville", "TN", "372", "615"), new City("Columbus", "OH", "432", "614"));

    static final List<String> EMAIL_DOMAINS = List.of("example.com", "example.org", "example.net");

    static final List<String> COMPANY_PREFIXES = List.of(
            "Harbor", "Summit", "Bluebird", "Northwind", "Maple Leaf", "Cedar", "Granite", "Lakeside",
            "Redwood", "Silverline", "Copper", "Evergreen", "Brightside", "Meadowlark", "Pioneer", "Driftwood");

    static final List<String> COMPANY_SUFFIXES = List.of(
            "Goods", "Outfitters", "Trading Co.", "Supply", "Retail Group", "Boutique", "Mercantile",
            "Distributors", "Home & Living", "Collective");

    static final List<String> PRODUCT_ADJECTIVES = List.of(
            "Classic", "Organic", "Everyday", "Heritage", "Coastal", "Urban", "Alpine", "Vintage",
            "Essential", "Premium", "Recycled", "Nordic", "Sunlit", "Midnight", "Trailblazer");

    /** A product category with what it sells and its price range in whole dollars. */
    record Category(String name, String skuPrefix, int minPrice, int maxPrice, List<String> products) {
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("Apparel", "APP", 15, 120,
                    List.of("T-Shirt", "Hoodie", "Linen Shirt", "Denim Jacket", "Chinos", "Sweater", "Wrap Dress")),
            new Category("Footwear", "FTW", 40, 180,
                    List.of("Sneakers", "Chelsea Boots", "Sandals", "Loafers", "Running Shoes", "Slippers")),
            new Category("Accessories", "ACC", 10, 150,
                    List.of("Tote Bag", "Wallet", "Beanie", "Scarf", "Sunglasses", "Leather Belt", "Watch")),
            new Category("Home", "HOM", 12, 90,
                    List.of("Throw Blanket", "Scented Candle", "Ceramic Vase", "Cushion Cover", "Wall Clock")),
            new Category("Kitchen", "KIT", 15, 120,
                    List.of("Mug Set", "Chef Knife", "Cutting Board", "French Press", "Cast Iron Skillet")),
            new Category("Beauty", "BEA", 8, 60,
                    List.of("Face Serum", "Hand Cream", "Lip Balm", "Shampoo Bar", "Body Oil")),
            new Category("Outdoor", "OUT", 15, 160,
                    List.of("Water Bottle", "Daypack", "Camping Mug", "Hammock", "Rain Jacket")),
            new Category("Electronics", "ELE", 10, 200,
                    List.of("Wireless Earbuds", "Phone Case", "Charging Cable", "Bluetooth Speaker", "Desk Lamp")));

    static final List<String> CUSTOMER_NOTES = List.of(
            "Prefers to be contacted by email.",
            "Deliveries to a business address, Monday to Friday only.",
            "Asked for plastic-free packaging.",
            "Buys gifts: always include a gift receipt.",
            "Had a delivery problem before; handle with care.");

    static final List<String> RETURN_REASONS = List.of(
            "Wrong size", "Damaged in transit", "Not as described", "Changed my mind", "Arrived too late",
            "Defective", "Found a better price");

    static final List<String> ORDER_SUBJECTS = List.of(
            "Where is my order?", "Item arrived damaged", "Wrong item received", "Change shipping address",
            "Missing item in package", "Discount code not applied", "Invoice request");

    static final List<String> RETURN_SUBJECTS = List.of(
            "Return label request", "Refund not received yet", "Exchange for a different size");

    static final List<String> GENERAL_SUBJECTS = List.of(
            "Question about sizing", "Is this product back in stock?", "Wholesale pricing enquiry",
            "Cannot log in to my account");

    private Names() {
    }
}
