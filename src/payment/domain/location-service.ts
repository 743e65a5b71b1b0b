// The payload location use cases: create one ahead of its charge, read, list, and unlink it from
// its charge (the charge then has no location).
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import { withoutLocation } from './charge.ts';
import { assertValidQuery, type LocationFilter, type Page, type PageRequest } from './list-query.ts';
import type { Location } from './location.ts';
import { readConfirmed, readerStore, writeIn, type PaymentDeps } from './payment-deps.ts';
import { LocationNotFoundError } from './payment-errors.ts';

export class LocationService {
  readonly #deps: PaymentDeps;
  readonly #tracer: Tracer;

  constructor(deps: PaymentDeps) {
    this.#deps = deps;
    this.#tracer = deps.tracer ?? noopTracer;
  }

  create(owner: string): Promise<Location> {
    return this.#tracer.inSpan('LocationService.create', () =>
      writeIn(this.#deps, owner, (store) =>
        store.insertLocation({
          accessToken: this.#deps.ids.locationToken(),
          kind: 'cob',
          txid: null,
          createdAt: this.#deps.clock.now(),
        }),
      ),
    );
  }

  get(owner: string, id: number): Promise<Location> {
    return this.#tracer.inSpan('LocationService.get', async () => {
      const location = await readConfirmed(this.#deps, owner, (store) => store.findLocation(id));
      if (!location) throw new LocationNotFoundError(id);
      return location;
    });
  }

  list(owner: string, filter: LocationFilter, page: PageRequest): Promise<Page<Location>> {
    return this.#tracer.inSpan('LocationService.list', () => {
      assertValidQuery('loc', filter);
      return readerStore(this.#deps, owner).listLocations(filter, page);
    });
  }

  unlink(owner: string, id: number): Promise<Location> {
    return this.#tracer.inSpan('LocationService.unlink', () =>
      writeIn(this.#deps, owner, async (store) => {
        const location = await store.findLocation(id, { forUpdate: true });
        if (!location) throw new LocationNotFoundError(id);
        if (location.txid === null) return location;
        const charge = await store.findCharge(location.txid, { forUpdate: true });
        await store.setLocationTxid(id, null);
        if (charge) await store.updateCharge(withoutLocation(charge, this.#deps.clock.now()));
        return { ...location, txid: null };
      }),
    );
  }
}
