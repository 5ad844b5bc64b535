import { display, h, label, table } from '../dom';
import { api } from '../session';

interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
interface Field { name: string; type: TypeRef }

/**
 * The workflow plugin's workflows and runs. The plugin owns their shape, so the page reads it from the
 * schema: every scalar field of the items of `workflows` (and of `workflowRuns` when there is one).
 */
export async function workflowsPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'Workflows'));
  for (const root of ['workflows', 'workflowRuns']) {
    const shape = await shapeOf(root);
    if (!shape) {
      continue;
    }
    const { fields, connection } = shape;
    const selection = connection ? `(first: 50) { nodes { ${fields.join(' ')} } }` : `{ ${fields.join(' ')} }`;
    const answer = await api().request<Record<string, unknown>, undefined>(`{ list: ${root}${selection} }`);
    const items = listOf(answer.list);
    main.append(h('section', { class: 'card', 'data-list': root }, h('h2', {}, label(root)),
      table(fields.map(label), items.map((item) => fields.map((f) => display(item[f]))))));
  }
}

/** The scalar fields of a root field's items, and whether they come as a connection (`nodes`). */
async function shapeOf(root: string): Promise<{ fields: string[]; connection: boolean } | null> {
  const { __schema } = await api().request<{ __schema: { queryType: { fields: Field[] } } }, undefined>(
    '{ __schema { queryType { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }');
  const field = __schema.queryType.fields.find((f) => f.name === root);
  if (!field) {
    return null;
  }
  const fields = await fieldsOf(named(field.type));
  const nodes = fields.find((f) => f.name === 'nodes');
  return nodes ? { fields: scalars(await fieldsOf(named(nodes.type))), connection: true } : { fields: scalars(fields), connection: false };
}

async function fieldsOf(type: string): Promise<Field[]> {
  const { __type } = await api().request<{ __type: { fields: Field[] | null } | null }, object>(
    'query ($name: String!) { __type(name: $name) { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }', { name: type });
  return __type?.fields ?? [];
}

/** The named type inside lists and non-nulls. */
function named(type: TypeRef | null): string {
  return type && (type.kind === 'NON_NULL' || type.kind === 'LIST') ? named(type.ofType) : type?.name ?? '';
}

function scalars(fields: Field[]): string[] {
  const base = (t: TypeRef | null): TypeRef | null => (t && t.kind === 'NON_NULL' ? base(t.ofType) : t);
  return fields.filter((f) => ['SCALAR', 'ENUM'].includes(base(f.type)?.kind ?? '')).map((f) => f.name);
}

function listOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) {
    return value;
  }
  const nodes = (value as { nodes?: Record<string, unknown>[] } | null)?.nodes;
  return nodes ?? [];
}
