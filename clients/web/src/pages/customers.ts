import { h, label, table } from '../dom';
import { api, facts } from '../session';

interface View { id: string; name: string; type: string; filter: Record<string, unknown>; sort: { field: string; direction?: string }[]; fields: string[] }
interface Condition { field: string; operator: string; value: string }
interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Record<string, unknown>[] }

const DEFAULT_COLUMNS = ['fullName', 'email', 'customerSegment', 'totalOrders', 'lifetimeValue', 'lastPurchaseDate'];
const OPERATORS: Record<string, string> = { eq: 'is', neq: 'is not', contains: 'contains', gt: '>', gte: '≥', lt: '<', lte: '≤' };
const NUMERIC = new Set(['Decimal', 'Long', 'Int', 'Float']);

/** Customers: a saved view or all, narrowed by filters, sorted by a column, exported as CSV. */
export async function customersPage(main: HTMLElement): Promise<void> {
  const { views } = await api().request<{ views: View[] }, undefined>('{ views(object: "customers") { id name type filter sort fields } }');
  const tableViews = views.filter((v) => v.type === 'TABLE');
  const fieldTypes = new Map(facts!.customerFields.map((f) => [f.name, f.type]));
  const filterable = facts!.customerFields.filter((f) => f.type !== 'ID' && f.name !== 'tags').map((f) => f.name);
  const state = { view: null as View | null, conditions: [] as Condition[], sort: null as { field: string; direction: string } | null };

  const viewSelect = h('select', { id: 'view', 'aria-label': 'Saved view' }, h('option', { value: '' }, 'All customers'),
    ...tableViews.map((v) => h('option', { value: v.id }, v.name)));
  const field = h('select', { id: 'filter-field', 'aria-label': 'Filter field' }, ...filterable.map((f) => h('option', { value: f }, label(f))));
  const operator = h('select', { id: 'filter-operator', 'aria-label': 'Filter operator' },
    ...Object.entries(OPERATORS).map(([op, text]) => h('option', { value: op }, text)));
  const value = h('input', { id: 'filter-value', 'aria-label': 'Filter value' });
  const chips = h('div', { class: 'toolbar', id: 'filters' });
  const count = h('p', { id: 'count', 'aria-live': 'polite' });
  const results = h('div', { id: 'results' });
  const more = h('button', { class: 'secondary', id: 'more', hidden: true }, 'Load more');
  const message = h('div');

  const where = (): Record<string, unknown> => {
    const parts: Record<string, unknown>[] = state.conditions.map((c) => ({ [c.field]: { [c.operator]: typed(fieldTypes.get(c.field) ?? 'String', c.value) } }));
    if (state.view && Object.keys(state.view.filter).length) {
      parts.unshift(state.view.filter);
    }
    return parts.length ? { and: parts } : {};
  };
  const columns = () => state.view ? state.view.fields : DEFAULT_COLUMNS.filter((c) => fieldTypes.has(c));
  const orderBy = () => state.sort ? [state.sort] : state.view?.sort ?? [{ field: 'ID', direction: 'ASC' }];

  let rows: Record<string, unknown>[] = [];
  const load = async (after: string | null) => {
    message.replaceChildren();
    try {
      const query = `query ($where: CustomerWhere, $orderBy: [CustomerOrderBy!], $after: String) {
        customers(first: 50, after: $after, where: $where, orderBy: $orderBy) {
          totalCount pageInfo { hasNextPage endCursor } nodes { id ${columns().join(' ')} } } }`;
      const { customers } = await api().request<{ customers: Page }, object>(query, { where: where(), orderBy: orderBy(), after });
      rows = after ? rows.concat(customers.nodes) : customers.nodes;
      count.textContent = `${customers.totalCount.toLocaleString('en-US')} customers`;
      count.dataset.total = String(customers.totalCount);
      results.replaceChildren(sortableTable(rows));
      more.hidden = !customers.pageInfo.hasNextPage;
      more.onclick = () => void load(customers.pageInfo.endCursor);
    } catch (error) {
      message.replaceChildren(h('p', { class: 'error', role: 'alert' }, (error as Error).message));
    }
  };

  const sortableTable = (nodes: Record<string, unknown>[]) => {
    const element = table(columns().map(label), nodes.map((n) => columns().map((c) => n[c])), nodes.map((n) => String(n.id)),
      (id) => { location.hash = '#/customers/' + encodeURIComponent(id); });
    element.querySelectorAll('th').forEach((th, i) => {
      const name = columns()[i];
      const sortField = sortFieldOf(name);
      const current = state.sort && state.sort.field === sortField ? state.sort.direction : null;
      th.setAttribute('aria-sort', current === 'ASC' ? 'ascending' : current === 'DESC' ? 'descending' : 'none');
      if (sortField) {
        th.replaceChildren(h('button', { onclick: () => {
          state.sort = { field: sortField, direction: current === 'ASC' ? 'DESC' : 'ASC' };
          void load(null);
        } }, label(name) + (current === 'ASC' ? ' ▲' : current === 'DESC' ? ' ▼' : '')));
      }
    });
    return element;
  };

  const renderChips = () => chips.replaceChildren(...state.conditions.map((c, i) => h('button', { class: 'secondary', 'aria-label': `Remove filter ${label(c.field)} ${OPERATORS[c.operator]} ${c.value}`,
    onclick: () => { state.conditions.splice(i, 1); renderChips(); void load(null); } }, `${label(c.field)} ${OPERATORS[c.operator]} ${c.value} ✕`)));

  viewSelect.addEventListener('change', () => {
    state.view = tableViews.find((v) => v.id === viewSelect.value) ?? null;
    state.sort = null;
    void load(null);
  });
  const filterForm = h('form', { class: 'toolbar', id: 'filter-form' }, field, operator, value, h('button', { type: 'submit' }, 'Add filter'));
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    state.conditions.push({ field: field.value, operator: operator.value, value: value.value.trim() });
    value.value = '';
    renderChips();
    void load(null);
  });
  const exportCsv = async () => {
    const response = await api().fetch('/export/customers.csv?where=' + encodeURIComponent(JSON.stringify(where())));
    if (!response.ok) {
      message.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'The export failed: ' + ((await response.json()).errors?.[0]?.message ?? response.statusText)));
      return;
    }
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: 'customers.csv' });
    link.click();
    URL.revokeObjectURL(link.href);
  };

  main.append(h('h1', {}, 'Customers'),
    h('div', { class: 'toolbar' }, viewSelect, h('button', { class: 'secondary', id: 'export', onclick: () => void exportCsv() }, 'Export CSV')),
    filterForm, chips, message, count, results, more);
  await load(null);
}

/** `lifetimeValue` → `LIFETIME_VALUE`, matched against the schema's sort fields so numbers in names need no rule. */
function sortFieldOf(name: string): string | undefined {
  const squeezed = name.toLowerCase();
  return facts!.customerSortFields.find((f) => f.replaceAll('_', '').toLowerCase() === squeezed);
}

/** Numbers go as JSON numbers (Decimal accepts them exactly), booleans as booleans, enums by their label's API form. */
function typed(type: string, text: string): unknown {
  if (NUMERIC.has(type)) {
    return type === 'Decimal' ? text : Number(text);
  }
  if (type === 'Boolean') {
    return /^(true|yes|1)$/i.test(text);
  }
  if (type.startsWith('Customer') && type !== 'Customer') {
    return text.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  }
  return text;
}
