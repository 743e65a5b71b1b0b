// What the service knows of the Payment module before building it (src/service-catalog.ts): its
// contracts, hence its scopes, and its metrics. Light on purpose: the clients CLI loads it.
import { paymentContracts } from './http/payment-contracts.ts';
import { paymentMetrics } from './payment-metrics.ts';

export const paymentModuleCatalog = {
  contracts: paymentContracts,
  metrics: Object.values(paymentMetrics),
};
