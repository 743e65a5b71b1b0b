import type { OAuthClient, StoredClient } from './oauth-client.ts';

/** The persistence port of the OAuth clients. */
export interface ClientStore {
  /** Throws ClientAlreadyExistsError when the id is taken. */
  insert(client: StoredClient): Promise<void>;

  /** Creates the client or resets its name, secret and scopes, and lifts a revocation. */
  upsert(client: StoredClient): Promise<void>;

  /** Revoked clients included. */
  findById(id: string): Promise<StoredClient | undefined>;

  /** Every client, revoked ones included, oldest first; no secret hashes. */
  list(): Promise<OAuthClient[]>;

  /** Marks the client revoked (keeping the first revocation time); false when there is no such client. */
  revoke(id: string, at: Date): Promise<boolean>;

  /**
   * Adds these scopes to every live client of this name that lacks one of them; how many changed.
   */
  addScopesByName(name: string, scopes: readonly string[]): Promise<number>;

  /** Clients ever created, revoked ones included. */
  count(): Promise<number>;
}
