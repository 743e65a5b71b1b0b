// Read replica settings beyond the endpoints themselves: how many connections each replica gets,
// and whether readiness fails while a replica is down.
import { boolean, integer } from './env-values.ts';

export const readReplicaVariables = {
  /** Connections per replica; POSTGRES_POOL_MAX when unset. */
  POSTGRES_READER_POOL_MAX: integer({ min: 1, max: 1000 }).optional(),
  /** false: a replica outage leaves /readyz at 200 ("degraded") as long as the primary answers. */
  READINESS_REQUIRES_REPLICAS: boolean.default(true),
};
