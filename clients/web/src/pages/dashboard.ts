import { DashboardBoardDocument, type DashboardBoardQuery } from '@storefront-crm/client';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { h, table } from '../dom';
import { api } from '../session';

echarts.use([BarChart, HeatmapChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Widget = DashboardBoardQuery['dashboard']['widgets'][number];
type Data = NonNullable<Widget['data']>;
type Series = Extract<Data, { __typename?: 'Series' }>;
type Matrix = Extract<Data, { __typename?: 'Matrix' }>;

/** Every widget of the dashboard plugin's board, drawn as its chart kind. */
export async function dashboardPage(main: HTMLElement): Promise<void> {
  const from = h('input', { type: 'date', 'aria-label': 'From' });
  const to = h('input', { type: 'date', 'aria-label': 'To' });
  const board = h('div', { class: 'grid', id: 'board', 'aria-busy': 'true' });
  const load = async () => {
    board.setAttribute('aria-busy', 'true');
    const range = from.value && to.value ? { from: from.value, to: to.value } : undefined;
    const { dashboard } = await api().request(DashboardBoardDocument, { range });
    from.value = dashboard.from;
    to.value = dashboard.to;
    board.replaceChildren(...dashboard.widgets.map(widgetCard));
    board.setAttribute('aria-busy', 'false');
  };
  main.append(h('h1', {}, 'Dashboard'),
    h('div', { class: 'toolbar' }, from, to, h('button', { onclick: () => void load() }, 'Show')), board);
  await load();
}

function widgetCard(widget: Widget): HTMLElement {
  const card = h('section', { class: 'card widget', 'data-widget': widget.id, 'data-kind': widget.kind, 'aria-label': widget.title },
    h('h2', {}, widget.title));
  const data = widget.data;
  if (!data) {
    card.append(h('p', { class: 'error' }, widget.error ?? 'No answer'));
    card.dataset.points = '0';
    return card;
  }
  switch (data.__typename) {
    case 'Stat': {
      const change = data.change === null || data.change === undefined ? '' : ` (${data.change >= 0 ? '+' : ''}${(data.change * 100).toFixed(1)}% vs. previous)`;
      card.append(h('div', { class: 'stat' }, data.value === null || data.value === undefined ? '–' : Number(data.value).toLocaleString('en-US')), h('small', {}, change));
      card.dataset.points = data.value === null || data.value === undefined ? '0' : '1';
      break;
    }
    case 'Table':
      card.classList.add('wide');
      card.append(table(data.columns.map((c) => c.name), data.rows));
      card.dataset.points = String(data.rows.length);
      break;
    case 'Series':
      card.dataset.points = String(data.labels.length);
      chart(card, seriesOption(widget.kind, data));
      break;
    case 'Matrix':
      card.classList.add('wide');
      card.dataset.points = String(data.layers[0]?.values.flat().filter((v) => v !== null).length ?? 0);
      chart(card, heatmapOption(data));
      break;
  }
  return card;
}

/**
 * Draws once the card is in the page (ECharts needs its size); `data-rendered` tells tests the canvas is drawn.
 * Without the entry animation: a board of a dozen charts is readable at once instead of a second later.
 */
function chart(card: HTMLElement, option: echarts.EChartsCoreOption): void {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': card.getAttribute('aria-label') });
  card.append(box);
  requestAnimationFrame(() => {
    const instance = echarts.init(box);
    instance.on('finished', () => { card.dataset.rendered = 'true'; });
    instance.setOption({ ...option, animation: false });
    new ResizeObserver(() => instance.resize()).observe(box);
  });
}

/** The first line is the measure a Series is about; rate and share lines sit beside counts, so only the first is drawn on a pie. */
function seriesOption(kind: string, data: Series): echarts.EChartsCoreOption {
  const lines = data.lines.map((line) => ({ name: line.name, values: line.values.map(toNumber) }));
  if (kind === 'PIE') {
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '70%'], data: data.labels.map((name, i) => ({ name, value: lines[0]?.values[i] ?? 0 })) }],
    };
  }
  const drawn = lines.filter((line, i) => i === 0 || sameScale(lines[0].values, line.values));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 60, right: 16, top: 30, bottom: 40 },
    xAxis: { type: 'category', data: data.labels },
    yAxis: { type: 'value' },
    series: drawn.map((line) => ({ name: line.name, type: kind === 'BAR' ? 'bar' : 'line', data: line.values })),
  };
}

/** Lines are drawn together when their largest values are of one order of magnitude (revenue and refunds; not revenue and orders). */
function sameScale(first: (number | null)[], other: (number | null)[]): boolean {
  const top = (values: (number | null)[]) => Math.max(0, ...values.map((v) => Math.abs(v ?? 0)));
  const a = top(first);
  const b = top(other);
  return a > 0 && b > 0 && Math.abs(Math.log10(a) - Math.log10(b)) < 1;
}

function heatmapOption(data: Matrix): echarts.EChartsCoreOption {
  const layer = data.layers.find((l) => l.name === 'retention') ?? data.layers[0];
  const cells = layer.values.flatMap((row, y) => row.map((value, x) => [x, y, toNumber(value)]).filter((cell) => cell[2] !== null));
  const max = Math.max(0, ...cells.map((cell) => cell[2] as number));
  return {
    tooltip: {},
    grid: { left: 80, right: 16, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: data.columnLabels },
    yAxis: { type: 'category', data: data.rowLabels },
    visualMap: { min: 0, max: max || 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [{ name: layer.name, type: 'heatmap', data: cells, label: { show: data.columnLabels.length <= 12, formatter: (p: { value: number[] }) => cellText(p.value[2]) } }],
  };
}

/** Widget values are exact decimals (strings); a chart only needs their magnitude. */
function toNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** Counts as whole numbers, rates and amounts to two places. */
function cellText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
