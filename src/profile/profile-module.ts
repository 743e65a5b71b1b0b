// The Profile module's one factory: everything the composition root needs from it (its API and its
// metrics), built from plain settings and the shared infrastructure. Nothing else of the module is
// known outside it.
import type { ConnectionPool } from '../db/connection-pool.ts';
import type { BusinessMeter } from '../platform/business-metric.ts';
import type { Clock } from '../platform/clock.ts';
import type { HmacSigner } from '../platform/hmac-signer.ts';
import type { IdGenerator } from '../platform/ids.ts';
import { SignedCursorCodec } from '../platform/signed-cursor.ts';
import type { Tracer } from '../platform/tracer.ts';
import type { ServiceModule } from '../server/service-module.ts';
import { ProfileService } from './domain/profile-service.ts';
import { createProfileApi } from './http/profile-api.ts';
import { isCursorPosition } from './http/profile-list-query.ts';
import { createSqlProfileStore } from './persistence/sql-profile-store.ts';
import { profileModuleCatalog } from './profile-catalog.ts';
import { profileMetrics } from './profile-metrics.ts';

export interface ProfileModuleSettings {
  /** Bound on each write transaction. */
  txTimeoutMs: number;
  /** How long a page cursor stays valid. */
  cursorTtlSeconds: number;
}

export interface ProfileModuleDeps {
  db: ConnectionPool;
  clock: Clock;
  ids: IdGenerator;
  /** Signs page cursors. */
  signer: HmacSigner;
  tracer: Tracer;
  meter: BusinessMeter;
}

export function createProfileModule(settings: ProfileModuleSettings, deps: ProfileModuleDeps): ServiceModule {
  const profiles = new ProfileService({
    db: deps.db,
    storeOn: createSqlProfileStore,
    clock: deps.clock,
    ids: deps.ids,
    txTimeoutMs: settings.txTimeoutMs,
    tracer: deps.tracer,
    created: deps.meter.counter(profileMetrics.profilesCreated),
  });
  const cursors = new SignedCursorCodec(
    { signer: deps.signer, clock: deps.clock, kind: 'profiles', ttlSeconds: settings.cursorTtlSeconds },
    isCursorPosition,
  );
  return {
    name: 'profile',
    apis: [createProfileApi({ profiles, cursors })],
    metrics: profileModuleCatalog.metrics,
  };
}
