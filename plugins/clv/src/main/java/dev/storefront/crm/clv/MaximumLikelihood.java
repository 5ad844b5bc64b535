package dev.storefront.crm.clv;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.hipparchus.util.FastMath;

/**
 * Maximises a log-likelihood over positive parameters with Hipparchus' BOBYQA (bounded, no
 * derivatives needed), searching their logarithms between 1e-4 and 1e4 so every step keeps them
 * positive and the scales of r and alpha do not matter. Starting points are tried in turn until one
 * converges.
 *
 * <p>A maximum on a bound is a fit too: the likelihood still grows toward a limit model (b and a
 * growing together: every customer about as likely to stop; q and v together: spend per order
 * about the same for everyone). The result names such parameters.
 */
final class MaximumLikelihood {

    private static final double LOWER = FastMath.log(1e-4);
    private static final double UPPER = FastMath.log(1e4);
    /** A maximum this close to a bound (in log units) is on it. */
    private static final double AT_BOUND = 1e-3;
    /** Parameters to about 7 significant digits: the trust region's final radius, in log units. */
    private static final double PRECISION = 1e-7;
    private static final int MAX_EVALUATIONS = 5_000;

    /**
     * The parameters found, their log-likelihood, whether the search converged (stopped by its own
     * criterion at a finite likelihood), and the indexes of the parameters that ended on a bound.
     */
    record Result(double[] parameters, double logLikelihood, boolean converged, List<Integer> atBound) {
    }

    private MaximumLikelihood() {
    }

    static Result maximize(ToDoubleFunction<double[]> logLikelihood, List<double[]> starts) {
        Result result = null;
        for (double[] start : starts) {
            result = fromStart(logLikelihood, start);
            if (result.converged()) {
                return result;
            }
        }
        return result;
    }

    private static Result fromStart(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        int n = start.length;
        double[] lower = new double[n];
        double[] upper = new double[n];
        double[] logStart = new double[n];
        for (int i = 0; i < n; i++) {
            lower[i] = LOWER;
            upper[i] = UPPER;
            logStart[i] = FastMath.log(start[i]);
        }
        ObjectiveFunction objective = new ObjectiveFunction(logs -> {
            double value = logLikelihood.applyAsDouble(exp(logs));
            // Outside the region where the formulas are finite: worse than any real likelihood.
            return Double.isFinite(value) ? value : -1e300;
        });
        try {
            PointValuePair found = new BOBYQAOptimizer(2 * n + 1, 0.5, PRECISION).optimize(new MaxEval(MAX_EVALUATIONS), objective,
                    GoalType.MAXIMIZE, new InitialGuess(logStart), new SimpleBounds(lower, upper));
            double[] logs = found.getPoint();
            List<Integer> atBound = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (logs[i] - LOWER <= AT_BOUND || UPPER - logs[i] <= AT_BOUND) {
                    atBound.add(i);
                }
            }
            return new Result(exp(logs), found.getValue(), found.getValue() > -1e300, atBound);
        } catch (MathIllegalStateException tooManyEvaluations) {
            return new Result(start, Double.NEGATIVE_INFINITY, false, List.of());
        }
    }

    private static double[] exp(double[] logs) {
        double[] values = new double[logs.length];
        for (int i = 0; i < logs.length; i++) {
            values[i] = FastMath.exp(logs[i]);
        }
        return values;
    }
}
