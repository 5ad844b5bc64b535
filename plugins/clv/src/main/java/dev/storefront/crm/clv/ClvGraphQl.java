package dev.storefront.crm.clv;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/** {@code clvModel} (the latest fit) and {@code fitClvModel(asOf:)}, present while the plugin is started. */
@Extension
public class ClvGraphQl implements GraphQlContribution {

    @Override
    public String sdl() {
        return """
                enum ClvModelStatus {
                  FITTED TOO_LITTLE_DATA NOT_CONVERGED
                  "No fit has been run yet: only status, message and converged are set"
                  NOT_FITTED
                }
                "A fit of the purchase-frequency (BG/NBD) and spend (Gamma-Gamma) models; time in weeks"
                type ClvModel {
                  status: ClvModelStatus!
                  "Why there are no parameters, when status is not FITTED"
                  message: String
                  "BG/NBD: purchase rates are Gamma(r, alpha), alpha in weeks"
                  r: Float
                  alpha: Float
                  "BG/NBD: the chance of dropping out after a purchase is Beta(a, b)"
                  a: Float
                  b: Float
                  "Gamma-Gamma: spend per order"
                  p: Float
                  q: Float
                  v: Float
                  "Of the BG/NBD fit"
                  logLikelihood: Float
                  spendLogLikelihood: Float
                  "Customers with counted orders on or before asOf"
                  customers: Long
                  "Customers among them who ordered again on a later day"
                  repeatBuyers: Long
                  asOf: Date
                  fittedAt: DateTime
                  converged: Boolean!
                }
                type ClvFitResult { model: ClvModel! changedCustomers: Long! }
                extend type Query {
                  "The latest fit; before the first one, status NOT_FITTED"
                  clvModel: ClvModel!
                }
                extend type Mutation { fitClvModel(asOf: Date): ClvFitResult! }
                """;
    }

    @Override
    public Map<String, GraphQlResolver> resolvers() {
        return Map.of("Query.clvModel", (args, context) -> ClvFits.latest(context).map(ClvGraphQl::describe).orElseGet(ClvGraphQl::notFitted),
                "Mutation.fitClvModel", ClvGraphQl::fit);
    }

    private static Object fit(Map<String, Object> args, PluginContext context) {
        ClvService.Outcome outcome = new ClvService(context).fit(asOf(args.get("asOf"), context));
        return Map.of("model", describe(outcome.model()), "changedCustomers", outcome.changedCustomers());
    }

    /** The as-of date of a fit or a scoring run: given, or today in the store's time zone. */
    static LocalDate asOf(Object value, PluginContext context) {
        if (value == null) {
            return LocalDate.now(context.timeZone());
        }
        if (value instanceof LocalDate date) {
            return date;
        }
        try {
            return LocalDate.parse(value.toString());
        } catch (java.time.format.DateTimeParseException e) {
            throw new PluginException("clv.as-of", "asOf: \"" + value + "\" is not a date; write it as 2025-03-31");
        }
    }

    private static Map<String, Object> notFitted() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "NOT_FITTED");
        out.put("message", ClvService.NOT_FITTED);
        out.put("converged", false);
        return out;
    }

    private static Map<String, Object> describe(ClvModel model) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", model.status().name());
        out.put("message", model.message());
        if (model.frequency() != null) {
            out.put("r", model.frequency().r());
            out.put("alpha", model.frequency().alpha());
            out.put("a", model.frequency().a());
            out.put("b", model.frequency().b());
            out.put("p", model.spend().p());
            out.put("q", model.spend().q());
            out.put("v", model.spend().v());
            out.put("logLikelihood", model.logLikelihood());
            out.put("spendLogLikelihood", model.spendLogLikelihood());
        }
        out.put("customers", model.customers());
        out.put("repeatBuyers", model.repeatBuyers());
        out.put("asOf", model.asOf());
        out.put("fittedAt", model.fittedAt());
        out.put("converged", model.converged());
        return out;
    }
}
