package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import java.time.LocalDate;
import java.util.Map;
import org.pf4j.Extension;

/** {@code reclassifySegments} and {@code scoreRfm}, present while the plugin is started. */
@Extension
public class SegmentationGraphQl implements GraphQlContribution {

    @Override
    public String sdl() {
        return """
                type SegmentCount { segment: String! customers: Int! }
                "What a reclassification did"
                type SegmentRun {
                  ruleSet: String!
                  asOf: Date!
                  "Customers per segment afterwards"
                  counts: [SegmentCount!]!
                  "Customers whose segment changed (each recorded in segment_changes)"
                  moved: Int!
                  "Customers no segment matched (left without one)"
                  unmatched: Int!
                }
                type RfmRun { asOf: Date! changed: Int! counts: [SegmentCount!]! }
                extend type Mutation {
                  "Classifies every customer by a rule set (default: the configured one) as of a day (default: today)"
                  reclassifySegments(ruleSet: String, asOf: Date): SegmentRun!
                  "Scores R, F, M and sets the RFM group of every customer"
                  scoreRfm(asOf: Date): RfmRun!
                }
                """;
    }

    @Override
    public Map<String, GraphQlResolver> resolvers() {
        return Map.of("Mutation.reclassifySegments", (args, context) -> Segmentation.reclassify(context.crm(),
                        RuleSet.shipped(ruleSet(context, (String) args.get("ruleSet"))), asOf(context, args.get("asOf"))),
                "Mutation.scoreRfm", (args, context) -> Segmentation.scoreRfm(context.crm(), RfmGroups.shipped(),
                        asOf(context, args.get("asOf"))));
    }

    static String ruleSet(PluginContext context, String given) {
        return given != null ? given : context.config("rule-set").orElse("recency-value");
    }

    /** The given day, or today in the store's time zone ({@code crm.timezone}). */
    static LocalDate asOf(PluginContext context, Object given) {
        if (given != null) {
            return given instanceof LocalDate day ? day : LocalDate.parse(String.valueOf(given));
        }
        return LocalDate.now(context.timeZone());
    }
}
