import { h } from '../dom';
import { api } from '../session';

interface Plugin { id: string; version: string | null; state: string; error: string | null; description: string | null; contributes: { queryFields: string[]; jobs: string[]; importers: string[] } }

/** The plugins and their state; start and stop them (their GraphQL fields come and go at once). */
export async function pluginsPage(main: HTMLElement): Promise<void> {
  const list = h('div', { class: 'grid', id: 'plugins' });
  const load = async () => {
    const { plugins } = await api().request<{ plugins: Plugin[] }, undefined>(
      '{ plugins { id version state error description contributes { queryFields jobs importers } } }');
    list.replaceChildren(...plugins.map((p) => h('section', { class: 'card', 'data-plugin': p.id },
      h('h2', {}, `${p.id} ${p.version ?? ''}`), h('p', {}, p.description ?? ''),
      h('p', {}, 'State: ', h('strong', {}, p.state)),
      p.error ? h('p', { class: 'error' }, p.error) : null,
      h('p', {}, h('small', {}, [p.contributes.queryFields.length ? 'Fields: ' + p.contributes.queryFields.join(', ') : '',
        p.contributes.jobs.length ? ' · Jobs: ' + p.contributes.jobs.join(', ') : ''].join(''))),
      h('button', { class: 'secondary', onclick: async () => {
        await api().request(`mutation ($id: ID!) { ${p.state === 'STARTED' ? 'stopPlugin' : 'startPlugin'}(id: $id) { state } }`, { id: p.id });
        await load();
      } }, p.state === 'STARTED' ? 'Stop' : 'Start'))));
  };
  main.append(h('h1', {}, 'Plugins'), list);
  await load();
}
