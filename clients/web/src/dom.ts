type Child = Node | string | number | null | undefined | false;

/** Creates an element: `h('button', { class: 'x', onclick: f }, 'Save')`; attributes starting with "on" are listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, unknown> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value as EventListener);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A table of plain values; `onRow` makes rows focusable and opens them by click or Enter. */
export function table(columns: string[], rows: unknown[][], ids?: string[], onRow?: (id: string) => void): HTMLElement {
  const body = rows.map((row, i) => {
    const tr = h('tr', ids && onRow ? { 'data-id': ids[i], tabindex: 0 } : {}, ...row.map((cell) => h('td', {}, display(cell))));
    if (ids && onRow) {
      tr.addEventListener('click', () => onRow(ids[i]));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && onRow(ids[i]));
    }
    return tr;
  });
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c)))), h('tbody', {}, ...body)));
}

export function display(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.join(', ');
  }
  return String(value);
}

/** `lifetimeValue` → `Lifetime value`. */
export function label(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function errorBox(error: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, (error as Error).message ?? String(error));
}
