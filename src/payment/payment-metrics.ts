// The Payment module's own metrics, composed into the service's catalogue (docs/observability.md).
import type { BusinessMetric } from '../platform/business-metric.ts';

/** Commit-to-receiver lags: 10 ms to an hour (a retried delivery waits out its backoff). */
const LAG_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export const paymentMetrics = {
  chargesCreated: {
    name: 'charges.created',
    unit: '{charge}',
    description: 'Charges created (Payment API).',
    attributes: [],
  },
  chargesPaid: {
    name: 'charges.paid',
    unit: '{charge}',
    description: 'Charges paid (Payment API).',
    attributes: [],
  },
  refundsCreated: {
    name: 'refunds.created',
    unit: '{refund}',
    description: 'Refunds created (Payment API).',
    attributes: [],
  },
  webhookDeliveries: {
    name: 'webhook.deliveries',
    unit: '{attempt}',
    description:
      'Pix webhook delivery attempts by outcome: delivered, retried, dead (dead-lettered), refused (target policy), skipped (no webhook for the key).',
    attributes: ['outcome'],
  },
  eventsPublished: {
    name: 'events.published',
    unit: '{event}',
    description: 'Payment events published to NATS JetStream (acknowledged by the broker).',
    attributes: ['event.type'],
  },
  eventRelayLag: {
    name: 'events.relay.lag',
    unit: 's',
    kind: 'histogram',
    buckets: LAG_BUCKETS,
    description:
      'Time from the commit of a payment event to its end at the relay: a webhook answered 2xx (stage delivered) or the broker acknowledged it (stage published).',
    attributes: ['stage'],
  },
} as const satisfies Record<string, BusinessMetric>;
