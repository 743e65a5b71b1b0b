// Everything the server needs to mount the Payment API (and, when on, its sandbox): the contract's
// operations, their handlers and the module's problem table.
import { paymentOperations } from '../../../api/payment/server.gen.ts';
import { paymentSandboxOperations } from '../../../api/payment-sandbox/server.gen.ts';
import type { ChargeService } from '../domain/charge-service.ts';
import type { LocationService } from '../domain/location-service.ts';
import type { PixService } from '../domain/pix-service.ts';
import type { WebhookService } from '../domain/webhook-service.ts';
import { createChargeHandlers } from './charge-handlers.ts';
import { createLocationHandlers } from './location-handlers.ts';
import type { PayloadPresentation } from './payload-presentation.ts';
import { paymentErrorToProblem } from './payment-problems.ts';
import { createPixHandlers } from './pix-handlers.ts';
import { pixProblemDialect } from './pix-problem-dialect.ts';
import { createSandboxHandlers } from './sandbox-handlers.ts';
import { createWebhookHandlers } from './webhook-handlers.ts';

export interface PaymentApiDeps {
  charges: ChargeService;
  locations: LocationService;
  pix: PixService;
  webhooks: WebhookService;
  presentation: PayloadPresentation;
}

export function createPaymentApi(deps: PaymentApiDeps) {
  return {
    name: 'payment',
    operations: paymentOperations,
    handlers: {
      ...createChargeHandlers(deps.charges, deps.presentation),
      ...createLocationHandlers(deps.locations, deps.presentation),
      ...createPixHandlers(deps.pix),
      ...createWebhookHandlers(deps.webhooks),
    },
    errorToProblem: paymentErrorToProblem,
    problemDialect: pixProblemDialect,
    problemBasePaths: ['/v2'],
  };
}

export function createPaymentSandboxApi(pix: PixService) {
  return {
    name: 'payment-sandbox',
    operations: paymentSandboxOperations,
    handlers: createSandboxHandlers(pix),
    errorToProblem: paymentErrorToProblem,
    problemDialect: pixProblemDialect,
    problemBasePaths: ['/v2'],
  };
}
