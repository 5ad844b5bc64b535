package dev.storefront.crm.clv;

import dev.storefront.crm.api.plugin.SchemaContribution;
import java.util.List;
import org.pf4j.Extension;

/**
 * The scores as customer fields (so views, filters, segments, exports and workflows use them like
 * any other field) and {@code clv_fits}, the history of fits ({@code clvModel} reads the latest).
 */
@Extension
public class ClvSchema implements SchemaContribution {

    @Override
    public List<String> yamlDocuments() {
        return List.of("""
                object: customers
                singular: Customer
                plural: Customers
                fields:
                  - {name: Probability Alive, api_name: probability_alive, type: number, description: "Chance, 0 to 1, that the customer still buys from the store (CLV plugin)"}
                  - {name: Churn Probability, api_name: churn_probability, type: number, description: "1 - Probability Alive (CLV plugin)"}
                  - {name: Expected Orders 90 Days, api_name: expected_orders_90_days, type: number, description: "Orders expected in the next 90 days (CLV plugin)"}
                  - {name: Expected Orders 365 Days, api_name: expected_orders_365_days, type: number, description: "Orders expected in the next 365 days (CLV plugin)"}
                  - {name: Expected Order Value, api_name: expected_order_value, type: number, description: "Expected value of each future order (CLV plugin)"}
                  - {name: Predicted CLV 365 Days, api_name: predicted_clv_365_days, type: number, description: "Expected Orders 365 Days x Expected Order Value (CLV plugin)"}
                  - {name: Average Days Between Orders, api_name: average_days_between_orders, type: number, description: "Days from first to last order day / repeat order days; empty with one order (CLV plugin)"}
                  - {name: Expected Next Order Date, api_name: expected_next_order_date, type: date, description: "Last order day + Average Days Between Orders (CLV plugin)"}
                  - name: Predicted Spend Tier
                    api_name: predicted_spend_tier
                    type: enum
                    options: [High, Medium, Low]
                    description: "High = top 20% by Predicted CLV 365 Days among customers with orders, Medium the next 40%, Low the rest (CLV plugin)"
                """, """
                object: clv_fits
                singular: CLV Fit
                plural: CLV Fits
                description: Each fit of the customer lifetime value models (CLV plugin); clvModel is the latest
                fields:
                  - {name: As Of, api_name: as_of, type: date, required: true}
                  - {name: Fitted At, api_name: fitted_at, type: datetime, required: true}
                  - name: Status
                    type: enum
                    options: [Fitted, Too Little Data, Not Converged]
                    required: true
                  - {name: Message, type: text}
                  - {name: Customers, type: integer, description: Customers with counted orders on or before As Of}
                  - {name: Repeat Buyers, api_name: repeat_buyers, type: integer, description: Customers among them who ordered again on a later day}
                  - {name: Log Likelihood, api_name: log_likelihood, type: number, description: Of the BG/NBD fit}
                  - {name: Parameters, type: text, description: "r, alpha, a, b, p, q, v and both log-likelihoods at full precision (JSON)"}
                """);
    }
}
