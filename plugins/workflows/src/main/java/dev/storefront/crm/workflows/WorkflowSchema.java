package dev.storefront.crm.workflows;

import dev.storefront.crm.api.plugin.SchemaContribution;
import java.util.List;
import org.pf4j.Extension;

/**
 * Where workflows keep their state, in the CRM's own database: the definitions, the entry events heard
 * (written with the change that raised them), one record per run (the outbox: the next step and when
 * it is due) and one per step carried out. Customers gain the
 * discount code the welcome workflow gives.
 */
@Extension
public class WorkflowSchema implements SchemaContribution {

    static final String DEFINITIONS = "workflow_definitions";
    static final String RUNS = "workflow_run_records";
    static final String STEPS = "workflow_step_records";
    static final String EVENTS = "workflow_event_records";

    @Override
    public List<String> yamlDocuments() {
        return List.of("""
                object: customers
                singular: Customer
                plural: Customers
                fields:
                  - {name: Discount Code, type: text, description: "The next-order code a workflow gave this customer"}
                """, """
                object: workflow_definitions
                singular: Workflow Definition
                plural: Workflow Definitions
                description: Workflows as YAML; read and changed through workflows, saveWorkflow and enableWorkflow
                fields:
                  - {name: Name, type: text, unique: true, required: true}
                  - {name: Definition, type: text}
                  - {name: Enabled, type: boolean, default: false}
                  - {name: Enabled At, type: datetime, description: "Events before this moment trigger nothing"}
                  - {name: Last Evaluated At, type: datetime, description: "When the trigger was last evaluated"}
                  - {name: Event Cursor, type: integer, description: "The last recorded entry event the worker turned into runs"}
                  - {name: Last Fired At, type: datetime, description: "cron: the moment the schedule was last honoured"}
                """, """
                object: workflow_event_records
                singular: Workflow Event Record
                plural: Workflow Event Records
                description: An entry event an enabled workflow heard, recorded in the transaction of the write that raised it
                fields:
                  - {name: Workflow, type: text}
                  - {name: Source Object, type: text}
                  - {name: Source Id, type: integer}
                  - {name: Trigger Event, type: text}
                  - {name: Entry Object, type: text}
                  - {name: Entry Id, type: integer}
                  - {name: Depth, type: integer}
                  - {name: At, type: datetime}
                """, """
                object: workflow_run_records
                singular: Workflow Run Record
                plural: Workflow Run Records
                description: One run of a workflow for one entry and triggering event (read through workflowRuns)
                fields:
                  - {name: Run Key, type: text, unique: true, required: true}
                  - {name: Workflow, type: text}
                  - {name: Entry Object, type: text}
                  - {name: Entry Id, type: integer}
                  - {name: Trigger Event, type: text}
                  - {name: State, type: text}
                  - {name: Next Step, type: integer}
                  - {name: Due At, type: datetime}
                  - {name: Attempts, type: integer}
                  - {name: Error, type: text}
                  - {name: Code, type: text}
                  - {name: Depth, type: integer}
                  - {name: Started At, type: datetime}
                  - {name: Finished At, type: datetime}
                """, """
                object: workflow_step_records
                singular: Workflow Step Record
                plural: Workflow Step Records
                description: One step of a run, written before its effect leaves the CRM
                fields:
                  - {name: Step Key, type: text, unique: true, required: true}
                  - {name: Run, type: relation, related_object: workflow_run_records}
                  - {name: Step, type: integer}
                  - {name: Action, type: text}
                  - {name: State, type: text}
                  - {name: Attempts, type: integer}
                  - {name: Message Id, type: text}
                  - {name: Detail, type: text}
                  - {name: At, type: datetime}
                """);
    }
}
