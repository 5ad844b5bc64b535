import { h, label } from '../dom';
import { api } from '../session';

interface Card { id: string; [field: string]: unknown }
interface Board { view: { id: string; name: string; kanbanField: string; fields: string[] }; columns: { key: string; value: string; count: number; entries: Card[] }[] }

const MOVE = 'mutation ($view: ID!, $id: ID!, $to: String!, $position: Int!) { moveEntry(view: $view, id: $id, to: $to, position: $position) { id } }';

/** A kanban view: drag a card (or press ← / → on it) to move the customer through moveEntry. */
export async function kanbanPage(main: HTMLElement, viewId?: string): Promise<void> {
  const { views } = await api().request<{ views: { id: string; name: string; type: string }[] }, undefined>('{ views { id name type } }');
  const boards = views.filter((v) => v.type === 'KANBAN');
  if (!boards.length) {
    main.append(h('h1', {}, 'Kanban'), h('p', {}, 'No kanban view yet: create one with createView (type KANBAN and an enum field).'));
    return;
  }
  const chosen = boards.find((v) => v.id === viewId) ?? boards[0];
  const select = h('select', { 'aria-label': 'Kanban view', onchange: (e: Event) => { location.hash = '#/kanban/' + (e.target as HTMLSelectElement).value; } },
    ...boards.map((v) => h('option', { value: v.id, selected: v.id === chosen.id }, v.name)));
  const area = h('div', { class: 'kanban', id: 'kanban' });
  const status = h('p', { 'aria-live': 'polite' });
  main.append(h('h1', {}, 'Kanban'), h('div', { class: 'toolbar' }, select), status, area);

  const load = async () => {
    const { kanban } = await api().request<{ kanban: Board }, object>(`query ($view: ID!) { kanban(view: $view, first: 25) {
      view { id name kanbanField fields } columns { key value count entries { id ...on Customer { fullName lifetimeValue totalOrders } } } } }`, { view: chosen.id });
    area.replaceChildren(...kanban.columns.map((column, index) => columnElement(kanban, column, index)));
  };
  const move = async (id: string, to: string, position: number) => {
    try {
      await api().request(MOVE, { view: chosen.id, id, to, position });
      status.textContent = 'Moved.';
    } catch (error) {
      status.textContent = (error as Error).message;
    }
    await load();
  };
  /** By keyboard the card keeps the focus in its new column, so ← / → can move it on. */
  const moveByKey = async (id: string, to: string) => {
    await move(id, to, 0);
    area.querySelector<HTMLElement>(`[data-column="${CSS.escape(to)}"] [data-id="${CSS.escape(id)}"]`)?.focus();
  };
  const columnElement = (board: Board, column: Board['columns'][number], index: number) => {
    const element = h('section', { class: 'column', 'data-column': column.key, 'aria-label': `${column.value}: ${column.count}` },
      h('h2', {}, h('span', {}, column.value), h('span', {}, column.count)),
      ...column.entries.map((entry) => {
        const card = h('div', { class: 'kcard', draggable: 'true', tabindex: 0, 'data-id': entry.id,
          'aria-label': `${entry.fullName ?? entry.id}; press left or right to move` },
        h('strong', {}, String(entry.fullName ?? entry.id)),
        ...board.view.fields.filter((f) => f !== 'fullName').map((f) => h('small', {}, `${label(f)}: ${entry[f] ?? ''}`)));
        card.addEventListener('dragstart', (e) => e.dataTransfer?.setData('text/plain', entry.id));
        card.addEventListener('keydown', (e) => {
          const target = board.columns[index + (e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0)];
          // The column of entries without a value has no key to move to.
          if (target && target !== column && target.key) {
            e.preventDefault();
            void moveByKey(entry.id, target.key);
          }
        });
        return card;
      }));
    element.addEventListener('dragover', (e) => { e.preventDefault(); element.classList.add('over'); });
    element.addEventListener('dragleave', () => element.classList.remove('over'));
    element.addEventListener('drop', (e) => {
      e.preventDefault();
      element.classList.remove('over');
      const id = e.dataTransfer?.getData('text/plain');
      if (id) {
        void move(id, column.key, 0);
      }
    });
    return element;
  };
  await load();
}
