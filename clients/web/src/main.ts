import './style.css';
import { h } from './dom';
import { facts, signIn, signOut, storedKey } from './session';
import { dashboardPage } from './pages/dashboard';
import { customersPage } from './pages/customers';
import { customerPage } from './pages/customer';
import { kanbanPage } from './pages/kanban';
import { importsPage } from './pages/imports';
import { pluginsPage } from './pages/plugins';
import { workflowsPage } from './pages/workflows';
import { keysPage } from './pages/keys';

type Page = (main: HTMLElement, argument?: string) => Promise<void>;

interface Route { path: string; title: string; page: Page; shown?: () => boolean }

const ROUTES: Route[] = [
  { path: 'dashboard', title: 'Dashboard', page: dashboardPage, shown: () => facts!.queryFields.has('dashboard') },
  { path: 'customers', title: 'Customers', page: customersPage },
  { path: 'kanban', title: 'Kanban', page: kanbanPage },
  { path: 'imports', title: 'Imports', page: importsPage },
  { path: 'plugins', title: 'Plugins', page: pluginsPage },
  // The workflow plugin's page exists only while its fields are in the schema.
  { path: 'workflows', title: 'Workflows', page: workflowsPage, shown: () => facts!.queryFields.has('workflows') },
  { path: 'keys', title: 'API keys', page: keysPage },
];

const app = document.getElementById('app')!;

function signInForm(message?: string): void {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', placeholder: 'crm_…', required: true });
  const form = h('form', { class: 'signin card' },
    h('h1', {}, 'Storefront CRM'),
    h('label', { for: 'api-key' }, 'API key'), input,
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const refused = await signIn(input.value.trim());
    if (refused) {
      signInForm(refused);
    } else {
      void render();
    }
  });
  app.replaceChildren(form);
  input.focus();
}

async function render(): Promise<void> {
  if (!facts) {
    const key = storedKey();
    if (!key || await signIn(key)) {
      signInForm();
      return;
    }
  }
  const routes = ROUTES.filter((r) => !r.shown || r.shown());
  const [path, argument] = location.hash.replace(/^#\/?/, '').split('/');
  const route = routes.find((r) => r.path === path) ?? routes[0];
  const main = h('main', { id: 'main' });
  app.replaceChildren(
    h('header', {},
      h('strong', {}, 'Storefront CRM'),
      h('nav', { 'aria-label': 'Pages' }, ...routes.map((r) => h('a', { href: '#/' + r.path, class: r === route ? 'active' : null,
        'aria-current': r === route ? 'page' : null }, r.title))),
      h('button', { class: 'secondary', onclick: () => { signOut(); location.hash = ''; signInForm(); } }, 'Sign out')),
    main);
  document.title = route.title + ' · Storefront CRM';
  try {
    // #/customers/<id> is one customer's 360 under the Customers tab.
    const page = route.path === 'customers' && argument ? customerPage : route.page;
    await page(main, argument && decodeURIComponent(argument));
  } catch (error) {
    main.append(h('p', { class: 'error', role: 'alert' }, (error as Error).message));
  }
  // The page was drawn anew: a keyboard user goes on from its heading, not from the top of the document.
  const heading = main.querySelector('h1');
  if (heading && (document.activeElement === document.body || document.activeElement === null)) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

window.addEventListener('hashchange', () => void render());
void render();
