// The Payment module's own metrics, composed into the service's catalogue (docs/observability.md).
import type { BusinessMetric } from '../platform/business-metric.ts';

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
} as const satisfies Record<string, BusinessMetric>;
