// Reads the server's schema as graphql-js clients do (introspection -> buildClientSchema) and validates it.
// Arguments: the endpoint and an API key. Prints one JSON line: the validation errors, and what a Relay or Apollo client looks for.
const { getIntrospectionQuery, buildClientSchema, validateSchema } = require('graphql');

(async () => {
  const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
                                        schemaDescription: true, inputValueDeprecation: true });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${process.argv[3]}` };
  const response = await fetch(process.argv[2], { method: 'POST', headers, body: JSON.stringify({ query }) });
  const body = await response.json();
  if (body.errors) {
    console.log(JSON.stringify({ introspectionErrors: body.errors }));
    return;
  }
  const schema = buildClientSchema(body.data);
  const customer = schema.getType('Customer');
  console.log(JSON.stringify({
    errors: validateSchema(schema).map(e => e.message),
    customerIsNode: customer.getInterfaces().map(i => i.name).includes('Node'),
    nodeField: String(schema.getQueryType().getFields().node.type),
    longScalar: String(customer.getFields().totalOrders.type),
    decimalScalar: String(customer.getFields().lifetimeValue.type),
    defer: schema.getDirective('defer') !== undefined && schema.getDirective('defer') !== null,
  }));
})().catch(e => { console.log(JSON.stringify({ failed: String(e.stack) })); });
