import { Customer360Document } from '@storefront-crm/client';
import { display, h, label, table } from '../dom';
import { api } from '../session';

const PROFILE = ['email', 'phone', 'billingCity', 'billingCountry', 'acquisitionSource', 'customerSegment', 'rfmGroup', 'tags', 'registeredAt', 'acceptsMarketing'] as const;
const METRICS = ['lifetimeValue', 'totalOrders', 'averageOrderValue', 'firstPurchaseDate', 'lastPurchaseDate', 'returnRate', 'refundedAmount',
  'probabilityAlive', 'churnProbability', 'predictedClv365Days', 'predictedSpendTier', 'expectedNextOrderDate'] as const;

/** Customer 360: profile, metrics and predictions, orders with items, returns, tickets, segment history, campaigns. */
export async function customerPage(main: HTMLElement, id?: string): Promise<void> {
  const { customer } = await api().request(Customer360Document, { id: id ?? '' });
  if (!customer) {
    main.append(h('p', { class: 'error', role: 'alert' }, `There is no customer ${id}.`));
    return;
  }
  const facts = (names: readonly string[]) => h('dl', {}, ...names.flatMap((n) => [h('dt', {}, label(n)), h('dd', {}, display((customer as Record<string, unknown>)[n]))]));
  const section = (title: string, ...content: Node[]) => h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...content);
  const orders = h('div', {}, ...customer.orders.nodes.map((o) => h('details', {},
    h('summary', {}, `${o.orderNumber ?? o.id} · ${display(o.orderDate)} · ${display(o.status)} · ${display(o.totalAmount)}`),
    table(['Product', 'SKU', 'Quantity', 'Unit price'], o.orderItems.nodes.map((i) => [i.productName, i.sku, i.quantity, i.unitPrice])))));
  main.append(
    h('p', {}, h('a', { href: '#/customers' }, '← Customers')),
    h('h1', { id: 'customer-name' }, customer.fullName ?? customer.email ?? customer.id),
    h('div', { class: 'grid' },
      section('Profile', facts(PROFILE)),
      section('Metrics and predictions', facts(METRICS)),
      section(`Orders (${customer.orders.totalCount})`, orders),
      section(`Returns (${customer.returns.totalCount})`, table(['Date', 'Amount', 'Reason', 'Status', 'Resolution'],
        customer.returns.nodes.map((r) => [r.returnDate, r.amount, r.reason, r.status, r.resolution]))),
      section(`Support tickets (${customer.supportTickets.totalCount})`, table(['Subject', 'Priority', 'Status', 'Opened', 'Resolved'],
        customer.supportTickets.nodes.map((t) => [t.subject, t.priority, t.status, t.openedAt, t.resolvedAt]))),
      section('Segment history', table(['Changed', 'From', 'To', 'Rule set'],
        customer.segmentChanges.nodes.map((c) => [c.changedAt, c.fromSegment, c.toSegment, c.ruleSet]))),
      section(`Campaigns (${customer.campaignRecipients.totalCount})`, table(['Campaign', 'Channel', 'Sent', 'Opened', 'Revenue'],
        customer.campaignRecipients.nodes.map((r) => [r.campaign?.campaignName, r.campaign?.channel, r.sentAt, r.opened, r.revenue])))));
}
