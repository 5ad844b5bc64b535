package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import dev.storefront.crm.schema.SchemaService;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Formulas that read formulas and the entry's own fields, three deep: a write recomputes them in
 * layers, each reading the one below by name, and gives what the test works out from the values it
 * wrote.
 */
class FormulaLayersE2EIT extends E2ESupport {

    @Autowired
    private SchemaService schema;

    private static FieldSpec formula(String label, String expression) {
        return new FieldSpec(label, null, FieldKind.NUMBER, false, false, null, null, null, null, new Computed.Formula(expression), 2);
    }

    @Test
    void formulasOverFormulasAndPlainFieldsFollowEveryWrite() {
        String lines = unique("lines");
        createObject(lines, List.of(field("Quantity", "INTEGER"), field("Price", "NUMBER", "scale", 2),
                field("Discount", "NUMBER", "scale", 2)));
        schema.apply(List.of(new SchemaChange.AddField(lines, formula("Gross", "quantity * price")),
                new SchemaChange.AddField(lines, formula("Net", "gross - discount")),
                new SchemaChange.AddField(lines, formula("Net Each", "round(net / quantity, 2)"))));
        String one = ApiNames.camel(lines + "_item");
        String id = run("mutation { create" + ApiNames.pascal(lines + "_item") + "(input: { quantity: 3, price: 12.50, discount: 2.25 })"
                + " { id } }").path("create" + ApiNames.pascal(lines + "_item") + ".id").entity(String.class).get();
        String read = "{ " + one + "(id: \"" + id + "\") { gross net netEach } }";

        assertThat(values(run(read).path(one).entity(Map.class).get())).usingElementComparator(BigDecimal::compareTo).containsExactly(money(3 * 12.50), money(3 * 12.50 - 2.25),
                new BigDecimal("11.75"));

        run("mutation { update" + ApiNames.pascal(lines + "_item") + "(id: \"" + id + "\", input: { price: 10.10 }) { id } }");
        BigDecimal gross = new BigDecimal("10.10").multiply(BigDecimal.valueOf(3));
        BigDecimal net = gross.subtract(new BigDecimal("2.25"));
        assertThat(values(run(read).path(one).entity(Map.class).get())).usingElementComparator(BigDecimal::compareTo).containsExactly(gross.setScale(2), net.setScale(2),
                net.divide(BigDecimal.valueOf(3), 2, RoundingMode.HALF_UP));
        assertThat(run("mutation { recomputeRollups(object: \"" + lines + "\") }").path("recomputeRollups").entity(Integer.class).get())
                .isZero();
    }

    /** What an update must recompute is found once per model: a formula added after an update of its object follows the next one. */
    @Test
    void aFormulaAddedAfterAnUpdateFollowsTheNextUpdate() {
        String lines = unique("lines");
        createObject(lines, List.of(field("Quantity", "INTEGER"), field("Price", "NUMBER", "scale", 2)));
        String type = ApiNames.pascal(lines + "_item");
        String one = ApiNames.camel(lines + "_item");
        String id = run("mutation { create" + type + "(input: { quantity: 2, price: 1.00 }) { id } }").path("create" + type + ".id")
                .entity(String.class).get();
        run("mutation { update" + type + "(id: \"" + id + "\", input: { price: 2.00 }) { id } }");
        schema.apply(List.of(new SchemaChange.AddField(lines, formula("Gross", "quantity * price"))));

        run("mutation { update" + type + "(id: \"" + id + "\", input: { price: 3.50 }) { id } }");

        Object gross = run("{ " + one + "(id: \"" + id + "\") { gross } }").path(one + ".gross").entity(Object.class).get();
        assertThat(new BigDecimal(gross.toString())).isEqualByComparingTo(new BigDecimal("3.50").multiply(BigDecimal.valueOf(2)));
    }

    private static BigDecimal money(double value) {
        return BigDecimal.valueOf(value).setScale(2);
    }

    private static List<BigDecimal> values(Map<?, ?> entry) {
        return List.of(new BigDecimal(entry.get("gross").toString()), new BigDecimal(entry.get("net").toString()),
                new BigDecimal(entry.get("netEach").toString()));
    }
}
