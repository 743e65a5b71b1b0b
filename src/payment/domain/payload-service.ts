// The payload a payer's PSP fetches from a charge's location: the charge at its current revision,
// found by the location's access token alone (the route is open; the token is the capability).
import type { ConnectionManager } from '../../db/connection-pool.ts';
import { readConfirmingOnWriter } from '../../db/read-confirming-on-writer.ts';
import type { Querier } from '../../db/querier.ts';
import type { Clock } from '../../platform/clock.ts';
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import { statusAt, type Charge, type ChargeStatus } from './charge.ts';
import { PayloadNotFoundError } from './payment-errors.ts';
import type { PayloadLookup } from './payment-store.ts';

export interface PayloadServiceDeps {
  db: ConnectionManager;
  lookupOn: (querier: Querier) => PayloadLookup;
  clock: Clock;
  tracer?: Tracer;
}

/** What a location presents: the charge, its status as of `presentedAt`, and that instant. */
export interface PresentedCharge {
  charge: Charge;
  status: ChargeStatus;
  presentedAt: Date;
}

/**
 * Statuses whose payload is served. A concluded charge still is (the payer learns it was paid); a
 * removed or expired one will never be payable again, and the specification lets the receiving PSP
 * answer CobPayloadNaoEncontrado for it.
 */
const SERVED: ReadonlySet<ChargeStatus> = new Set(['ATIVA', 'CONCLUIDA']);

export class PayloadService {
  readonly #deps: PayloadServiceDeps;
  readonly #tracer: Tracer;

  constructor(deps: PayloadServiceDeps) {
    this.#deps = deps;
    this.#tracer = deps.tracer ?? noopTracer;
  }

  /** Throws PayloadNotFoundError unless the location serves a charge that may be shown. */
  present(accessToken: string): Promise<PresentedCharge> {
    return this.#tracer.inSpan('PayloadService.present', async () => {
      // On a reader; a miss there may be a charge it has not replayed yet, so the writer settles it.
      const charge = await readConfirmingOnWriter(this.#deps.db, (querier) =>
        this.#deps.lookupOn(querier).findChargeByLocationToken(accessToken),
      );
      if (!charge) throw new PayloadNotFoundError();
      const presentedAt = this.#deps.clock.now();
      const status = statusAt(charge, presentedAt);
      if (!SERVED.has(status)) throw new PayloadNotFoundError();
      return { charge, status, presentedAt };
    });
  }
}
