// Whether a token's client is still active. Checked on every request carrying a locally issued
// token, so revoking a client also stops the tokens it already holds; the answer is cached for a
// few seconds per client, which bounds both the database reads and how long a revoked client's
// tokens keep working.
import type { Clock } from '../../platform/clock.ts';
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import type { ClientStore } from './client-store.ts';

export const CLIENT_STATUS_TTL_MS = 2_000;

interface CachedStatus {
  active: boolean;
  until: number;
}

export class ClientStatus {
  readonly #clients: ClientStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #tracer: Tracer;
  readonly #cache = new Map<string, CachedStatus>();

  constructor(clients: ClientStore, clock: Clock, options: { ttlMs?: number; tracer?: Tracer } = {}) {
    this.#clients = clients;
    this.#clock = clock;
    this.#ttlMs = options.ttlMs ?? CLIENT_STATUS_TTL_MS;
    this.#tracer = options.tracer ?? noopTracer;
  }

  async isActive(clientId: string): Promise<boolean> {
    const now = this.#clock.now().getTime();
    const cached = this.#cache.get(clientId);
    if (cached && cached.until > now) return cached.active;
    const client = await this.#tracer.inSpan('ClientStatus.isActive', () => this.#clients.findById(clientId));
    const active = client !== undefined && client.revokedAt === null;
    this.#evictExpired(now);
    this.#cache.set(clientId, { active, until: now + this.#ttlMs });
    return active;
  }

  /** Keeps the cache as small as the set of clients seen in the last few seconds. */
  #evictExpired(now: number): void {
    for (const [id, status] of this.#cache) if (status.until <= now) this.#cache.delete(id);
  }
}
