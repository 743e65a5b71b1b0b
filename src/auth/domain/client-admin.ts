// Creating, listing and revoking clients: the clients CLI and the start-up bootstrap.
import type { Clock } from '../../platform/clock.ts';
import type { IdGenerator } from '../../platform/ids.ts';
import { UnknownScopeError } from './client-errors.ts';
import type { ClientStore } from './client-store.ts';
import type { OAuthClient } from './oauth-client.ts';
import type { SecretHasher } from './ports.ts';

export interface ClientAdminDeps {
  clients: ClientStore;
  hasher: SecretHasher;
  clock: Clock;
  ids: IdGenerator;
  /** Every scope the service's contracts require: the only ones a client may hold. */
  scopes: readonly string[];
  /** A fresh random secret (32 bytes, base64url). */
  newSecret: () => string;
}

export interface CreatedClient {
  client: OAuthClient;
  /** Shown once; only its hash is kept. */
  secret: string;
}

export class ClientAdmin {
  readonly #deps: ClientAdminDeps;

  constructor(deps: ClientAdminDeps) {
    this.#deps = deps;
  }

  /** Every scope the service knows, the ones bootstrap and development clients get. */
  get knownScopes(): readonly string[] {
    return this.#deps.scopes;
  }

  async create(name: string, scopes: readonly string[]): Promise<CreatedClient> {
    this.#assertKnownScopes(scopes);
    const secret = this.#deps.newSecret();
    const client: OAuthClient = {
      id: this.#deps.ids.next(),
      name,
      scopes: [...new Set(scopes)],
      createdAt: this.#deps.clock.now(),
      revokedAt: null,
    };
    await this.#deps.clients.insert({ ...client, secretHash: await this.#deps.hasher.hash(secret) });
    return { client, secret };
  }

  /** Makes `id` a live client with this secret and every scope, whatever it was before. */
  async ensure(id: string, name: string, secret: string): Promise<void> {
    await this.#deps.clients.upsert({
      id,
      name,
      scopes: this.#deps.scopes,
      createdAt: this.#deps.clock.now(),
      revokedAt: null,
      secretHash: await this.#deps.hasher.hash(secret),
    });
  }

  /** A development client with every scope, only while no client has ever existed. */
  async createFirst(name: string): Promise<CreatedClient | undefined> {
    if ((await this.#deps.clients.count()) > 0) return undefined;
    return this.create(name, this.#deps.scopes);
  }

  /**
   * The development client at every embedded start: made (and returned, secret included) while no
   * client has ever existed; otherwise the live clients of that name gain any scope added to the
   * service since (a module added later), so the printed credentials keep reaching every API.
   */
  async ensureDevelopmentClient(name: string): Promise<CreatedClient | undefined> {
    const created = await this.createFirst(name);
    if (!created) await this.#deps.clients.addScopesByName(name, this.#deps.scopes);
    return created;
  }

  list(): Promise<OAuthClient[]> {
    return this.#deps.clients.list();
  }

  revoke(id: string): Promise<boolean> {
    return this.#deps.clients.revoke(id, this.#deps.clock.now());
  }

  #assertKnownScopes(scopes: readonly string[]): void {
    const unknown = scopes.filter((scope) => !this.#deps.scopes.includes(scope));
    if (unknown.length > 0 || scopes.length === 0) throw new UnknownScopeError(unknown);
  }
}
