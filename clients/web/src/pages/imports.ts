import { ImportJobDocument, type ImportJobQuery } from '@storefront-crm/client';
import { h, table } from '../dom';
import { api } from '../session';

/** Upload a CSV to an importer; a live progress bar while it runs, then the rows it refused and why. */
export async function importsPage(main: HTMLElement): Promise<void> {
  const { importers } = await api().request<{ importers: { name: string; object: string; description: string | null }[] }, undefined>(
    '{ importers { name object description } }');
  const importer = h('select', { id: 'importer', 'aria-label': 'Importer' },
    ...importers.map((i) => h('option', { value: i.name }, i.description ? `${i.name} (${i.description})` : i.name)));
  const file = h('input', { id: 'file', type: 'file', accept: '.csv,text/csv', 'aria-label': 'CSV file', required: true });
  const bar = h('progress', { id: 'progress', max: 1, value: 0, 'aria-label': 'Import progress' });
  const status = h('p', { id: 'import-status', 'aria-live': 'polite' });
  const report = h('div', { id: 'bad-rows' });
  const form = h('form', { class: 'toolbar' }, importer, file, h('button', { type: 'submit' }, 'Import'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      return;
    }
    report.replaceChildren();
    status.textContent = 'Uploading…';
    try {
      const jobId = await api().importCsv(importer.value, chosen);
      const show = (job: { state: string; processed: number; total: number; errorCount: number; message: string | null }) => {
        bar.max = Math.max(job.total, 1);
        bar.value = job.processed;
        status.dataset.state = job.state;
        status.textContent = `${job.state}: ${job.processed.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')} rows, ${job.errorCount} refused`
          + (job.message ? ` · ${job.message}` : '');
      };
      show(await api().waitForJob(jobId, show));
      const { job } = await api().request(ImportJobDocument, { id: jobId });
      report.replaceChildren(badRows(job));
    } catch (error) {
      status.textContent = (error as Error).message;
      status.dataset.state = 'FAILED';
    }
  });
  main.append(h('h1', {}, 'Imports'), form, bar, status, report);
}

function badRows(job: ImportJobQuery['job']): HTMLElement {
  if (!job?.errors.length) {
    return h('p', {}, 'No row was refused.');
  }
  return h('section', { class: 'card' }, h('h2', {}, `Refused rows (${job.errorCount})`),
    table(['Row', 'Line', 'Column', 'Value', 'Reason'], job.errors.map((e) => [e.row, e.line, e.column, e.value, e.reason])));
}
