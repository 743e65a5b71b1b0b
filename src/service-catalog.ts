// What the service is made of, known before any module is built: every module's contracts (hence
// the scopes clients may hold) and every module's metrics. Adding a module adds one entry here and
// one factory call in app.ts; main.ts (the development client), the clients CLI and the telemetry
// tests read the service's scopes and metric catalogue from here.
import type { BusinessMetric } from './platform/business-metric.ts';
import { profileModuleCatalog } from './profile/profile-catalog.ts';
import { contractScopes } from './server/contract-scopes.ts';

const MODULES = [profileModuleCatalog];

/** Every scope an operation of the service requires: what the bootstrap and development clients get. */
export const SERVICE_SCOPES: readonly string[] = contractScopes(
  MODULES.flatMap((module) => module.contracts),
);

/** Every module's metrics; the infrastructure's are src/telemetry/metric-catalog.ts. */
export const MODULE_METRICS: readonly BusinessMetric[] = MODULES.flatMap((module) => module.metrics);
