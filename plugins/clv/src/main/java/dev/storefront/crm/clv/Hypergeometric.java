package dev.storefront.crm.clv;

import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z < 1, which the
 * BG/NBD expected-purchases formula needs (DLMF 15.2, Abramowitz and Stegun 15.1.1).
 *
 * <p>The power series converges for |z| < 1 but slowly as z nears 1 (terms shrink like z^k), and its
 * terms first grow when a + b - c is large. So: negative z is mapped into (0, 1) by Pfaff's
 * transformation (A&amp;S 15.3.5); for z above {@link #NEAR_ONE} the argument is reflected to 1 - z
 * (A&amp;S 15.3.6), unless c - a - b is (nearly) an integer, where that formula has poles that cancel;
 * otherwise the series runs on whichever of F(a, b; c; z) and Euler's (1-z)^(c-a-b) F(c-a, c-b; c; z)
 * (A&amp;S 15.3.3) has the smaller growth exponent a + b - c.
 */
final class Hypergeometric {

    /** Above this the reflection to 1 - z makes the series converge in a few dozen terms. */
    static final double NEAR_ONE = 0.75;
    private static final double EPSILON = 1e-16;
    /** Distance to the nearest integer below which c - a - b counts as an integer for A&S 15.3.6. */
    private static final double INTEGER_GAP = 1e-3;
    private static final int MAX_TERMS = 5_000_000;

    private Hypergeometric() {
    }

    static double hyp2f1(double a, double b, double c, double z) {
        if (!(z < 1)) {
            throw new ArithmeticException("2F1 is evaluated here only for z < 1, not z = " + z);
        }
        if (isNonPositiveInteger(c)) {
            throw new ArithmeticException("2F1 is undefined for c = " + c);
        }
        if (z < 0) {
            // Pfaff: F(a,b;c;z) = (1-z)^(-a) F(a, c-b; c; z/(z-1)), with z/(z-1) in (0, 1).
            return FastMath.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
        }
        double gap = c - a - b;
        if (z > NEAR_ONE && FastMath.abs(gap - FastMath.rint(gap)) > INTEGER_GAP) {
            return reflected(a, b, c, z);
        }
        if (a + b - c > gap) {
            // Euler: the same value from a series whose terms do not grow first.
            return FastMath.pow(1 - z, gap) * series(c - a, c - b, c, z);
        }
        return series(a, b, c, z);
    }

    /**
     * A&amp;S 15.3.6: F(a,b;c;z) = G(c)G(c-a-b)/(G(c-a)G(c-b)) F(a,b;a+b-c+1;1-z)
     * + (1-z)^(c-a-b) G(c)G(a+b-c)/(G(a)G(b)) F(c-a,c-b;c-a-b+1;1-z), both series in 1 - z < 1/4.
     */
    private static double reflected(double a, double b, double c, double z) {
        double w = 1 - z;
        double gap = c - a - b;
        double first = gammaRatio(c, gap, c - a, c - b);
        double second = gammaRatio(c, -gap, a, b);
        double sum = 0;
        if (first != 0) {
            sum += first * series(a, b, 1 - gap, w);
        }
        if (second != 0) {
            sum += second * FastMath.pow(w, gap) * series(c - a, c - b, gap + 1, w);
        }
        return sum;
    }

    /** G(p)G(q) / (G(r)G(s)) through log-gammas with their signs; 0 where r or s is a pole. */
    private static double gammaRatio(double p, double q, double r, double s) {
        if (isNonPositiveInteger(r) || isNonPositiveInteger(s)) {
            return 0;
        }
        double log = logAbsGamma(p) + logAbsGamma(q) - logAbsGamma(r) - logAbsGamma(s);
        return signGamma(p) * signGamma(q) * signGamma(r) * signGamma(s) * FastMath.exp(log);
    }

    /**
     * The Maclaurin series, each term from the last. Stops once the remaining tail, bounded by a
     * geometric series of ratio max(current ratio, z) (the ratios tend to z), is below 1e-16 of the sum.
     */
    static double series(double a, double b, double c, double z) {
        double sum = 1;
        double term = 1;
        for (int k = 0; k < MAX_TERMS; k++) {
            double ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            term *= ratio;
            sum += term;
            if (term == 0) {
                return sum;
            }
            double bound = FastMath.max(FastMath.abs(ratio), z);
            if (bound < 1 && FastMath.abs(term) * bound / (1 - bound) <= EPSILON * FastMath.abs(sum)) {
                return sum;
            }
        }
        throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in " + MAX_TERMS + " terms");
    }

    private static boolean isNonPositiveInteger(double x) {
        return x <= 0 && x == FastMath.rint(x);
    }

    /** log |G(x)|, by the reflection formula G(x)G(1-x) = pi / sin(pi x) for x below 1/2. */
    static double logAbsGamma(double x) {
        if (x >= 0.5) {
            return Gamma.logGamma(x);
        }
        return FastMath.log(FastMath.PI / FastMath.abs(FastMath.sin(FastMath.PI * x))) - Gamma.logGamma(1 - x);
    }

    private static double signGamma(double x) {
        if (x > 0) {
            return 1;
        }
        // G(x) for x < 0 has the sign of sin(pi x), G(1-x) being positive.
        return FastMath.sin(FastMath.PI * x) < 0 ? -1 : 1;
    }
}
