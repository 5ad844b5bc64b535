package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.plugin.SchemaContribution;
import java.util.List;
import org.pf4j.Extension;

/** RFM fields on customers, and the history of segment moves; a customer's history is its reverse list. */
@Extension
public class SegmentationSchema implements SchemaContribution {

    @Override
    public List<String> yamlDocuments() {
        String groups = String.join(", ", RfmGroups.shipped().names());
        return List.of("""
                object: customers
                singular: Customer
                plural: Customers
                fields:
                  - {name: R Score, type: integer, description: "Recency, 1 (longest ago) to 5; empty without a counted order"}
                  - {name: F Score, type: integer, description: "Frequency (Total Orders), 1 to 5"}
                  - {name: M Score, type: integer, description: "Monetary (Lifetime Value), 1 to 5"}
                  - {name: RFM Group, api_name: rfm_group, type: enum, options: [%s]}
                """.formatted(groups), """
                object: segment_changes
                singular: Segment Change
                plural: Segment Changes
                description: Every move of a customer from one segment to another, by rule set
                fields:
                  - {name: Customer, type: relation, related_object: customers}
                  - {name: Rule Set, type: text}
                  - {name: From Segment, type: text}
                  - {name: To Segment, type: text}
                  - {name: Changed At, type: datetime}
                  - {name: As Of, type: date}
                """);
    }
}
