package dev.storefront.crm.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The per-customer formulas at the published CDNOW parameters against mpmath 1.3.0 at 40 digits
 * (the formulas of Fader, Hardie and Lee 2005 with {@code mp.hyp2f1} in its original, untransformed
 * form), for no repeat purchase, new customers, a long-gone one and x up to 200.
 */
class BgNbdTest {

    private static final BgNbd CDNOW = new BgNbd(0.2426, 4.4135, 0.7929, 2.4258);

    /** x, t_x, T (weeks), P(alive), E[Y(39 weeks)], E[Y(365/7 weeks)]. */
    private static final double[][] REFERENCE = {
            {0, 0, 38.86, 1.0, 0.19478655038715515, 0.25228081205450045},
            {0, 0, 0, 1.0, 1.1950518784095006, 1.446609694854865},
            {2, 30.43, 38.86, 0.72660799730015628, 1.2259111998992229, 1.5620872857677602},
            {1, 2, 39, 0.22130362202712218, 0.21135012479993318, 0.2709129616017918},
            {7, 35, 38, 0.86200596080488823, 4.5562009471888298, 5.7409758571399639},
            {7, 10, 38, 0.004262651991440666, 0.022530585545839743, 0.028389342165801504},
            {50, 38, 39, 0.95263541328634801, 33.070727626536079, 41.410088510278789},
            {200, 100, 104, 0.12021777809908893, 7.6460245097399185, 9.8615480897558758},
            {3, 1, 1.5, 0.80737630257560718, 7.9929626426116185, 9.4135804952068207},
            // Last purchase on the as-of day (t_x = T), first purchase a day before it, T of 20 years.
            {3, 20, 20, 0.84806561020943913, 3.2276311546978888, 4.0132511687122966},
            {1, 1 / 7.0, 1 / 7.0, 0.7536583092552894, 3.8141616050652151, 4.5187157691145806},
            {0, 0, 1000, 1.0, 0.009364524576188253, 0.01249581863993886},
            {5, 500, 1000, 0.17967837750617907, 0.036155836376904485, 0.048155438044140083},
            {5, 10, 1000, 1.7613547217880181e-9, 3.5442914170607791e-10, 4.7205907219358997e-10},
            // x = 200 repeat days within 200 days, then silent for 200 weeks; and the as-of day the day after the last.
            {200, 200 / 7.0, 200 / 7.0 + 200, 2.4915538037836949e-168, 7.851422185106548e-167, 1.0297534242179342e-166},
            {200, 200 / 7.0, 201 / 7.0, 0.99073409544560068, 167.89606325980383, 207.77279521826154},
    };

    @Test
    void probabilityAliveAndExpectedPurchasesMatchReference() {
        for (double[] c : REFERENCE) {
            int x = (int) c[0];
            assertThat(CDNOW.probabilityAlive(x, c[1], c[2])).as("P(alive) %s", x).isCloseTo(c[3], within(Math.max(c[3] * 1e-10, 1e-300)));
            assertThat(CDNOW.expectedPurchases(39, x, c[1], c[2])).as("E[Y(39)] x=%s", x).isCloseTo(c[4], within(c[4] * 1e-10));
            assertThat(CDNOW.expectedPurchases(365 / 7.0, x, c[1], c[2])).as("E[Y(365d)] x=%s", x).isCloseTo(c[5], within(c[5] * 1e-10));
        }
    }

    @Test
    void thePublishedExampleCustomer() {
        // FHL 2005, section 4: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks.
        assertThat(CDNOW.expectedPurchases(39, 2, 30.43, 38.86)).isCloseTo(1.226, within(0.0005));
    }

    @Test
    void aCustomerWhoStopsBuyingLooksLessAliveAsTimeGoesOn() {
        double previous = 1;
        for (double weeks = 31; weeks <= 120; weeks += 1) {
            double alive = CDNOW.probabilityAlive(2, 30.43, weeks);
            assertThat(alive).as("T=%s", weeks).isLessThan(previous);
            previous = alive;
        }
    }
}
