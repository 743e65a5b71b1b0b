// The Payment module's one factory: its use cases on the given database, and the APIs the server
// mounts (the sandbox only when it is on).
import type { ConnectionPool } from '../db/connection-pool.ts';
import type { Clock } from '../platform/clock.ts';
import type { Counter } from '../platform/counter.ts';
import type { IdGenerator } from '../platform/ids.ts';
import { cryptoRandomAlphanumeric } from '../platform/random-alphanumeric.ts';
import type { Tracer } from '../platform/tracer.ts';
import { ChargeService } from './domain/charge-service.ts';
import { LocationService } from './domain/location-service.ts';
import type { PaymentDeps } from './domain/payment-deps.ts';
import type { PaymentIds } from './domain/payment-ids.ts';
import { PixService } from './domain/pix-service.ts';
import { randomPaymentIds } from './domain/random-payment-ids.ts';
import { createPaymentApi, createPaymentSandboxApi } from './http/payment-api.ts';
import { payloadPresentation } from './http/payload-presentation.ts';
import { createSqlPaymentStore } from './persistence/sql-payment-store.ts';

export interface PaymentSettings {
  /** PIX_SANDBOX: mount the settlement sandbox; refunds settle at once. */
  sandbox: boolean;
  /** PIX_PAYLOAD_HOST: host[:port] of the payload locations. */
  payloadHost: string;
  merchantName: string;
  merchantCity: string;
  /** PIX_IDEMPOTENCY_KEY_TTL, in seconds. */
  idempotencyTtlSeconds: number;
  /** PIX_SANDBOX_ISPB: the ISPB in EndToEndIds and return ids. */
  ispb: string;
}

export interface PaymentModuleDeps {
  db: ConnectionPool;
  clock: Clock;
  ids: IdGenerator;
  txTimeoutMs: number;
  tracer?: Tracer;
  counters?: { chargesCreated?: Counter; chargesPaid?: Counter; refunds?: Counter };
  /** Predictable identifiers for tests; random ones by default. */
  paymentIds?: PaymentIds;
}

export function createPaymentModule(settings: PaymentSettings, deps: PaymentModuleDeps) {
  const paymentDeps: PaymentDeps = {
    db: deps.db,
    storeOn: createSqlPaymentStore,
    clock: deps.clock,
    ids: deps.paymentIds ?? randomPaymentIds(settings.ispb, deps.ids, cryptoRandomAlphanumeric),
    txTimeoutMs: deps.txTimeoutMs,
    ...(deps.tracer ? { tracer: deps.tracer } : {}),
    ...(deps.counters ? { counters: deps.counters } : {}),
    idempotencyTtlSeconds: settings.idempotencyTtlSeconds,
    sandbox: settings.sandbox,
  };
  const pix = new PixService(paymentDeps);
  const api = createPaymentApi({
    charges: new ChargeService(paymentDeps),
    locations: new LocationService(paymentDeps),
    pix,
    presentation: payloadPresentation(settings),
  });
  return { apis: settings.sandbox ? [api, createPaymentSandboxApi(pix)] : [api] };
}
