// The requests each scenario makes, as autocannon options. Every request carries the target's token
// (none for the variant that skips authentication); writes that must differ per request (emails,
// If-Match versions, charges to pay) take the next value from the shared fixtures.
import type autocannon from 'autocannon';
import { seededTxid } from './seed-data.ts';

export type ScenarioName =
  | 'GET profile by id'
  | 'cursor list (limit 20)'
  | 'offset list, page 500'
  | 'POST profile'
  | 'PATCH profile (If-Match)'
  | 'POST /v2/cob'
  | 'GET /v2/cob/{txid}'
  | 'sandbox payment';

export const SCENARIOS: readonly ScenarioName[] = [
  'GET profile by id',
  'cursor list (limit 20)',
  'offset list, page 500',
  'POST profile',
  'PATCH profile (If-Match)',
  'POST /v2/cob',
  'GET /v2/cob/{txid}',
  'sandbox payment',
];

/** Seeded data the scenarios walk through, one per database. */
export class Fixtures {
  /** Seeded profiles, each with the version the next PATCH expects. */
  readonly #versions = new Map<string, number>();
  readonly #patchOrder: string[];
  #nextPatch = 0;
  #nextEmail = 0;
  /** Seed 1 is only ever read; payments take 2, 3, ... in turn. */
  #nextPayment = 2;

  readonly profileId: string;
  readonly seededCharges: number;

  constructor(profileId: string, patchable: readonly string[], seededCharges: number) {
    this.profileId = profileId;
    this.seededCharges = seededCharges;
    this.#patchOrder = [...patchable];
    for (const id of patchable) this.#versions.set(id, 1);
  }

  readonly readTxid = seededTxid(1);

  nextEmail(): string {
    this.#nextEmail += 1;
    return `bench-${process.pid}-${this.#nextEmail}@example.org`;
  }

  /** A profile to PATCH and the If-Match its current version needs; round robin. */
  nextPatch(): { id: string; ifMatch: string } {
    const id = this.#patchOrder[this.#nextPatch % this.#patchOrder.length]!;
    this.#nextPatch += 1;
    const version = this.#versions.get(id)!;
    this.#versions.set(id, version + 1);
    return { id, ifMatch: `"${version}"` };
  }

  /** An active charge no payment has taken yet. */
  nextPayableTxid(): string {
    if (this.#nextPayment > this.seededCharges) throw new Error('every seeded charge has been paid');
    const txid = seededTxid(this.#nextPayment);
    this.#nextPayment += 1;
    return txid;
  }
}

const JSON_BODY = { 'content-type': 'application/json' };

export function scenarioOptions(
  scenario: ScenarioName,
  target: { baseUrl: string; token: string | undefined },
  fixtures: Fixtures,
): autocannon.Options {
  const auth: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
  const url = target.baseUrl;
  switch (scenario) {
    case 'GET profile by id':
      return { url: `${url}/v1/profiles/${fixtures.profileId}`, headers: auth };
    case 'cursor list (limit 20)':
      return { url: `${url}/v1/profiles?limit=20`, headers: auth };
    case 'offset list, page 500':
      // 500 x 20: the deepest page offset pagination reaches (10,000 items).
      return { url: `${url}/v1/profiles?page=500&pageSize=20`, headers: auth };
    case 'POST profile':
      return {
        url,
        requests: [
          {
            method: 'POST',
            path: '/v1/profiles',
            headers: { ...auth, ...JSON_BODY },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ name: 'Bench Mark', email: fixtures.nextEmail(), age: 42 }),
            }),
          },
        ],
      };
    case 'PATCH profile (If-Match)':
      return {
        url,
        requests: [
          {
            method: 'PATCH',
            path: '/',
            setupRequest: (request) => {
              const { id, ifMatch } = fixtures.nextPatch();
              return {
                ...request,
                path: `/v1/profiles/${id}`,
                headers: { ...auth, ...JSON_BODY, 'if-match': ifMatch },
                body: JSON.stringify({ name: 'Patched profile' }),
              };
            },
          },
        ],
      };
    case 'POST /v2/cob':
      return {
        url: `${url}/v2/cob`,
        method: 'POST',
        headers: { ...auth, ...JSON_BODY },
        body: JSON.stringify({
          calendario: { expiracao: 3600 },
          devedor: { cpf: '12345678909', nome: 'Fulano de Tal' },
          valor: { original: '123.45' },
          chave: 'recebedor@example.com',
          solicitacaoPagador: 'Pedido 42',
        }),
      };
    case 'GET /v2/cob/{txid}':
      return { url: `${url}/v2/cob/${fixtures.readTxid}`, headers: auth };
    case 'sandbox payment':
      return {
        url,
        requests: [
          {
            method: 'POST',
            path: '/',
            setupRequest: (request) => ({
              ...request,
              path: `/v2/sandbox/cob/${fixtures.nextPayableTxid()}/pagamento`,
              headers: { ...auth, ...JSON_BODY },
              body: JSON.stringify({ pagador: { cpf: '98765432100', nome: 'Beltrano' } }),
            }),
          },
        ],
      };
  }
}
