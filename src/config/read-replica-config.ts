// Read replica settings beyond the endpoints themselves: how many connections each replica gets,
// and whether readiness fails while a replica is down.
import { boolean, integer } from './env-values.ts';

export const readReplicaVariables = {
  /** Connections per replica; POSTGRES_POOL_MAX when unset. */
  POSTGRES_READER_POOL_MAX: integer({ min: 1, max: 1000 }).optional(),
  /**
   * false (the default): a replica outage leaves /readyz at 200 ("degraded") as long as the primary
   * answers, so one lost replica does not take every instance out of its load balancer at once.
   */
  READINESS_REQUIRES_REPLICAS: boolean.default(false),
};
