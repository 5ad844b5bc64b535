package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** graphql-java's validation messages, as graphql-java 25 writes them, in plain words. */
class ErrorMessagesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Validation error (WrongType@[createCustomer]) : argument 'input' with value 'ObjectValue{objectFields=[ObjectField{name='isNull', "
                    + "value=FloatValue{value=1E+400}}, ObjectField{name='lt', value=NullValue{}}]}' contains a field not in 'CustomerCreateInput': 'isNull'"
                    + " | Validation error (WrongType@[createCustomer]) : argument 'input' contains a field not in 'CustomerCreateInput': 'isNull'",
            "Validation error (WrongType@[upsertCustomer]) : argument 'input.customerSegment' with value 'StringValue{value='17'}' is not a valid "
                    + "'CustomerCustomerSegment' - Expected an AST type of 'EnumValue' but it was a 'StringValue'"
                    + " | Validation error (WrongType@[upsertCustomer]) : argument 'input.customerSegment' is not a valid 'CustomerCustomerSegment'"
                    + " - expected an enum value but got a string",
            "Validation error (WrongType@[updateCustomer]) : argument 'id' with value 'BooleanValue{value=true}' is not a valid 'ID' - Expected an AST "
                    + "type of 'IntValue' or 'StringValue' but it was a 'BooleanValue'"
                    + " | Validation error (WrongType@[updateCustomer]) : argument 'id' is not a valid 'ID' - expected an integer or a string but got a boolean",
            "Validation error (WrongType@[updateItem]) : argument 'input.status' with value 'EnumValue{name='BACKORDER'}' is not a valid "
                    + "'ItemStatus' - Literal value not in allowable values for enum 'ItemStatus' - 'EnumValue{name='BACKORDER'}'"
                    + " | Validation error (WrongType@[updateItem]) : argument 'input.status' is not a valid 'ItemStatus' - Literal value not in "
                    + "allowable values for enum 'ItemStatus' - 'BACKORDER'",
            "Field 'x' in type 'Query' is undefined | Field 'x' in type 'Query' is undefined"})
    void namesNoSyntaxTreeClasses(String graphqlJava, String plain) {
        assertThat(ErrorMessages.clean(graphqlJava)).isEqualTo(plain);
    }
}
