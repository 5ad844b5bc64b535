package dev.storefront.crm.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * 2F1 against closed forms and against mpmath 1.3.0 ({@code mp.hyp2f1} at 40 digits, values printed
 * to 20): every branch (series, Euler, Pfaff for z < 0, the reflection to 1 - z near 1, terminating
 * series) and the BG/NBD parameter shapes, up to x = 150 where 2F1 reaches 1e195.
 */
class HypergeometricTest {

    private static double f(double a, double b, double c, double z) {
        return Hypergeometric.hyp2f1(a, b, c, z);
    }

    @Test
    void closedForms() {
        for (double z : new double[] {-3, -0.5, 0.1, 0.5, 0.75, 0.9, 0.999}) {
            // 2F1(1, 1; 2; z) = -ln(1 - z) / z (c - a - b = 0: the series branch even near 1).
            assertThat(f(1, 1, 2, z)).as("z=%s", z).isCloseTo(-Math.log1p(-z) / z, Percentage.withPercentage(1e-11));
            // 2F1(a, b; b; z) = (1 - z)^-a.
            assertThat(f(2.3, 1.7, 1.7, z)).as("z=%s", z).isCloseTo(Math.pow(1 - z, -2.3), Percentage.withPercentage(1e-11));
        }
        for (double x : new double[] {0.1, 0.5, 0.9}) {
            // 2F1(1/2, 1/2; 3/2; x^2) = arcsin(x) / x and 2F1(1/2, 1; 3/2; -x^2) = arctan(x) / x.
            assertThat(f(0.5, 0.5, 1.5, x * x)).isCloseTo(Math.asin(x) / x, Percentage.withPercentage(1e-11));
            assertThat(f(0.5, 1, 1.5, -x * x)).isCloseTo(Math.atan(x) / x, Percentage.withPercentage(1e-11));
        }
    }

    @Test
    void mpmathValues() {
        double r = 0.2426;
        double a = 0.7929;
        double b = 2.4258;
        Object[][] cases = {
                {1.0, 1.0, 2.0, 0.5, 1.3862943611198906188},
                {0.5, 0.5, 1.5, 0.25, 1.0471975511965977462},
                {2.5, 1.5, 3.7, 0.3, 1.4214419569129740582},
                {2.5, 1.5, 3.7, 0.9, 6.9271050406138271047},
                {2.5, 1.5, 3.7, 0.999, 66.552598123515308803},
                {r + 3, b + 3, a + b + 3 - 1, 0.6, 22.321921749044528484},
                {r + 30, b + 30, a + b + 30 - 1, 0.8, 1.9004514627201680617e+21},
                {r + 150, b + 150, a + b + 150 - 1, 0.95, 5.475876107819681855e+195},
                {r, b, a + b - 1, 0.92, 2.0903922361809625355},
                {1.3, -2.7, 4.1, 0.85, 0.48280946382852069701},
                {3.2, 0.7, 1.1, -0.4, 0.52649713794268916199},
                {3.2, 0.7, 1.1, -5.0, 0.081885410719804278146},
                {1.5, 2.5, 4.0, 0.97, 9.7847348610851569399},
                {-3.0, 2.0, 1.5, 0.9, -0.045028571428571424207},
                {a + b - 1 - r, a - 1, a + b + 40 - 1, 0.93, 0.99074374774941534571},
                // Very near 1 and far below 0: mpmath at 50 digits of the arguments' double values (near 1,
                // 2F1 is as sensitive to 1 - z as (1-z)^(c-a-b), beyond the 1e-11 asked here for decimal z).
                {2.5, 1.5, 3.7, 0.99999, 317.0791141145073706},
                {r, b, a + b - 1, 0.999999, 232.11554177006469675},
                {r + 2, b + 2, a + b + 2 - 1, 0.9999, 5421517878.528229438},
                {3.2, 0.7, 1.1, -1000.0, 0.0018688721241956513144},
                {r + 5, b + 5, a + b + 5 - 1, -20.0, 8.9841460274945422227e-8},
                {0.5, 1.5, 2.25, -0.99, 0.78415150963066439454},
        };
        for (Object[] c : cases) {
            double expected = (double) c[4];
            assertThat(f((double) c[0], (double) c[1], (double) c[2], (double) c[3]))
                    .as("2F1(%s, %s; %s; %s)", c[0], c[1], c[2], c[3])
                    .isCloseTo(expected, within(Math.abs(expected) * 1e-11));
        }
    }

    /**
     * (1-z)^s 2F1 where 2F1 alone overflows or its reflection would cancel: x = 1000, and the fits of a
     * store whose customers hardly differ (b or a at the 1e4 search bound); mpmath at 50 digits.
     */
    @Test
    void scaledProducts() {
        double r = 0.2426;
        double a = 0.7929;
        double b = 2.4258;
        Object[][] cases = {
                {r + 1000, b + 1000, a + b + 1000 - 1, 0.9, r + 1000, 1.6104238502102475004},
                {0.358, 10000.0, 228.52 + 10000.0 - 1, 0.766, 0.358, 0.97515397185072052702},
                {0.358 + 3, 10000.0 + 3, 228.52 + 10000.0 + 3 - 1, 0.9, 0.358 + 3, 0.54237696630911214569},
                {0.358 + 2, 1.5 + 2, 10000.0 + 1.5 + 2 - 1, 0.95, 0.358 + 2, 0.00085607496764386963994},
                {3.2, 0.7, 1.1, -5.0, 1.7, 1.7221209788852766787},
        };
        for (Object[] c : cases) {
            double expected = (double) c[5];
            assertThat(Hypergeometric.scaled((double) c[0], (double) c[1], (double) c[2], (double) c[3], (double) c[4]))
                    .as("(1-z)^%s 2F1(%s, %s; %s; %s)", c[4], c[0], c[1], c[2], c[3])
                    .isCloseTo(expected, within(Math.abs(expected) * 1e-10));
        }
    }

    @Test
    void outsideTheDomainIsRefused() {
        assertThatThrownBy(() -> f(1, 1, 2, 1)).isInstanceOf(ArithmeticException.class).hasMessageContaining("z < 1");
        assertThatThrownBy(() -> f(1, 1, -2, 0.5)).isInstanceOf(ArithmeticException.class).hasMessageContaining("c = -2");
    }
}
