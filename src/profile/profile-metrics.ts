// The Profile module's own metrics, composed into the service's catalogue (docs/observability.md).
import type { BusinessMetric } from '../platform/business-metric.ts';

export const profileMetrics = {
  profilesCreated: {
    name: 'profiles.created',
    unit: '{profile}',
    description: 'Profiles created.',
    attributes: [],
  },
} as const satisfies Record<string, BusinessMetric>;
