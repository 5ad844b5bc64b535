package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain skips the per-field hooks only while no member implements one. */
class InstrumentationChainTest {

    private static final class Quiet implements Instrumentation {
    }

    private static final class CountsCompletions extends SimplePerformantInstrumentation {
        final List<String> calls = new ArrayList<>();

        @Override
        public InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
                                                                   InstrumentationState state) {
            calls.add("completion");
            return SimpleInstrumentationContext.noOp();
        }
    }

    @Test
    void callsNoPerFieldHookWhenNoMemberHasOne() {
        InstrumentationChain chain = new InstrumentationChain(List.of(new Quiet(), new SimplePerformantInstrumentation()));

        assertThat(chain.beginFieldCompletion(null, null)).isNull();
        assertThat(chain.beginFieldExecution(null, null)).isNull();
        assertThat(chain.beginExecuteObject(null, null)).isNull();
    }

    @Test
    void callsEveryMemberWhenOneHasAPerFieldHook() {
        CountsCompletions counting = new CountsCompletions();
        InstrumentationChain chain = new InstrumentationChain(List.of(new Quiet(), counting));

        chain.beginFieldCompletion(null, chain.createStateAsync(null).join());

        assertThat(counting.calls).containsExactly("completion");
    }
}
