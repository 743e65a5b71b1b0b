// What the service knows of the Profile module before building it (src/service-catalog.ts): its
// contracts, hence its scopes, and its metrics. Light on purpose: the clients CLI loads it.
import { profileContracts } from './http/profile-contracts.ts';
import { profileMetrics } from './profile-metrics.ts';

export const profileModuleCatalog = {
  contracts: profileContracts,
  metrics: Object.values(profileMetrics),
};
