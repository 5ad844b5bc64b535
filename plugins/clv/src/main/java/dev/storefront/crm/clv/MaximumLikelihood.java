package dev.storefront.crm.clv;

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
 * positive and the scales of r and alpha do not matter. Several starting points are tried; the best
 * converged one wins.
 */
final class MaximumLikelihood {

    private static final double LOWER = FastMath.log(1e-4);
    private static final double UPPER = FastMath.log(1e4);
    /** A maximum this close to a bound (in log units) is a parameter running away, not a fit. */
    private static final double AT_BOUND = 1e-3;
    private static final int MAX_EVALUATIONS = 20_000;

    /** The best parameters found, their log-likelihood, and whether the search converged inside the bounds. */
    record Result(double[] parameters, double logLikelihood, boolean converged) {
    }

    private MaximumLikelihood() {
    }

    static Result maximize(ToDoubleFunction<double[]> logLikelihood, List<double[]> starts) {
        Result best = null;
        for (double[] start : starts) {
            Result result = fromStart(logLikelihood, start);
            if (best == null || (result.converged() && !best.converged())
                    || (result.converged() == best.converged() && result.logLikelihood() > best.logLikelihood())) {
                best = result;
            }
        }
        return best;
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
            PointValuePair found = new BOBYQAOptimizer(2 * n + 1, 0.5, 1e-9).optimize(new MaxEval(MAX_EVALUATIONS), objective,
                    GoalType.MAXIMIZE, new InitialGuess(logStart), new SimpleBounds(lower, upper));
            double[] logs = found.getPoint();
            boolean inside = true;
            for (double value : logs) {
                inside &= value - LOWER > AT_BOUND && UPPER - value > AT_BOUND;
            }
            return new Result(exp(logs), found.getValue(), inside && found.getValue() > -1e300);
        } catch (MathIllegalStateException tooManyEvaluations) {
            return new Result(start, Double.NEGATIVE_INFINITY, false);
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
