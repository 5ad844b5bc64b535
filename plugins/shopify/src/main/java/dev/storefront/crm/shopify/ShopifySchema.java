package dev.storefront.crm.shopify;

import dev.storefront.crm.api.plugin.SchemaContribution;
import java.util.List;
import org.pf4j.Extension;

/**
 * The fields Shopify data needs: {@code shopify_key} ({@code <shop domain>/<GID>}, unique, the key of
 * every write), the shop, and Shopify's {@code updated_at} (older deliveries than it are ignored); the
 * customers' links to each store ({@link CustomerLinks}); and the {@code shopify_webhooks} log, where every
 * delivery is stored before it is applied.
 */
@Extension
public class ShopifySchema implements SchemaContribution {

    private static final String KEYED = """
            fields:
              - {name: Shopify Key, api_name: shopify_key, type: text, unique: true}
              - {name: Shopify Shop, api_name: shopify_shop, type: text}
            """;
    private static final String DATED = "  - {name: Shopify Updated At, api_name: shopify_updated_at, type: datetime}\n";

    @Override
    public List<String> yamlDocuments() {
        return List.of(
                object("customers", "Customer", "Customers") + KEYED + DATED
                        + "  - {name: Shopify Customer Id, api_name: shopify_customer_id, type: text, unique: true}\n"
                        + "  - {name: Shopify Export Key, api_name: shopify_export_key, type: text, unique: true, description: \"how an admin"
                        + " customers export without Customer ID or email finds the customer again: its phone, else its name and address\"}\n"
                        + "  - {name: Accepts SMS Marketing, api_name: accepts_sms_marketing, type: boolean, default: false, description: \"SMS"
                        + " marketing consent, as Accepts Marketing is the email one\"}\n",
                object("products", "Product", "Products") + KEYED + DATED,
                object("orders", "Order", "Orders") + KEYED + DATED,
                object("order_items", "Order Item", "Order Items") + KEYED,
                object("returns", "Return", "Returns") + KEYED,
                object(CustomerLinks.OBJECT, "Shopify Customer Link", "Shopify Customer Links") + """
                        description: "Each store's Shopify customer (shop and customer GID) and the CRM customer it is: one person who buys in \
                        several stores is one customer with a link per store."
                        fields:
                          - {name: Shopify Key, api_name: shopify_key, type: text, unique: true, required: true}
                          - {name: Shop, type: text, required: true}
                          - {name: Customer, type: relation, related_object: customers}
                        """,
                """
                object: shopify_webhooks
                singular: Shopify Webhook
                plural: Shopify Webhooks
                description: Every Shopify webhook delivery, stored before it is applied.
                fields:
                  - {name: Webhook Id, type: text, unique: true, required: true}
                  - {name: Event Key, type: text, unique: true, description: "topic and X-Shopify-Event-Id"}
                  - {name: Topic, type: text}
                  - {name: Shop, type: text}
                  - {name: Triggered At, type: datetime}
                  - {name: Body, type: richtext}
                  - {name: State, type: enum, options: [Received, Applied, Ignored], default: Received}
                  - {name: Note, type: text}
                """);
    }

    private static String object(String apiName, String singular, String plural) {
        return "object: " + apiName + "\nsingular: " + singular + "\nplural: " + plural + "\n";
    }
}
