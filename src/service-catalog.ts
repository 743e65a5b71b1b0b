// What the service is made of, known before any module is built: every module's contracts (hence
// the scopes clients may hold) and every module's metrics. Adding a module adds one entry here and
// one factory call in app.ts, each with its import (npm run new:module writes all four lines; see
// docs/extending.md); main.ts (the development client), the clients CLI and the telemetry tests
// read the service's scopes and metric catalogue from here.
import type { BusinessMetric } from './platform/business-metric.ts';
import { paymentModuleCatalog } from './payment/payment-catalog.ts';
import { profileModuleCatalog } from './profile/profile-catalog.ts';
// npm run new:module adds the new module's import above this line (docs/extending.md).
import { contractScopes } from './server/contract-scopes.ts';

// The route tables' type, named without importing the generated code here.
type ContractTables = Parameters<typeof contractScopes>[0] extends Iterable<infer T> ? readonly T[] : never;

const MODULES = [
  profileModuleCatalog,
  paymentModuleCatalog,
  // npm run new:module adds one entry per new module above this line (docs/extending.md).
];

/** Every scope an operation of the service requires: what the bootstrap and development clients get. */
export const SERVICE_SCOPES: readonly string[] = contractScopes(
  MODULES.flatMap((module): ContractTables => module.contracts),
);

/** Every module's metrics; the infrastructure's are src/telemetry/metric-catalog.ts. */
export const MODULE_METRICS: readonly BusinessMetric[] = MODULES.flatMap(
  (module): readonly BusinessMetric[] => module.metrics,
);
