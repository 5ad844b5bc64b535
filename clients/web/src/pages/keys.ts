import { h, table } from '../dom';
import { api } from '../session';

interface ApiKey { id: string; name: string; role: string; createdAt: string; expiresAt: string | null; revokedAt: string | null }

/** API keys: create one (its secret is shown once), revoke one. */
export async function keysPage(main: HTMLElement): Promise<void> {
  const list = h('div');
  const created = h('div', { 'aria-live': 'polite' });
  const name = h('input', { 'aria-label': 'Key name', placeholder: 'Name, e.g. Shopify sync', required: true });
  const role = h('select', { 'aria-label': 'Role' }, ...['VIEWER', 'EDITOR', 'ADMIN'].map((r) => h('option', { value: r }, r.toLowerCase())));
  const load = async () => {
    const { apiKeys } = await api().request<{ apiKeys: ApiKey[] }, undefined>('{ apiKeys { id name role createdAt expiresAt revokedAt } }');
    const element = table(['Name', 'Role', 'Created', 'Expires', 'Revoked', ''], apiKeys.map((k) => [k.name, k.role, k.createdAt, k.expiresAt, k.revokedAt, '']));
    element.querySelectorAll('tbody tr').forEach((tr, i) => {
      const key = apiKeys[i];
      if (!key.revokedAt) {
        tr.lastElementChild!.replaceChildren(h('button', { class: 'secondary', onclick: async () => {
          await api().request('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
          await load();
        } }, 'Revoke'));
      }
    });
    list.replaceChildren(element);
  };
  const form = h('form', { class: 'toolbar' }, name, role, h('button', { type: 'submit' }, 'Create key'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { createApiKey } = await api().request<{ createApiKey: { secret: string } }, object>(
      'mutation ($name: String!, $role: ApiKeyRole!) { createApiKey(name: $name, role: $role) { secret } }', { name: name.value, role: role.value });
    created.replaceChildren(h('p', {}, 'Copy this key now; it is not shown again:'), h('p', { class: 'secret' }, createApiKey.secret));
    name.value = '';
    await load();
  });
  main.append(h('h1', {}, 'API keys'), form, created, list);
  await load();
}
