// Payment's reads against a real primary and a streaming replica whose replay is paused, so the lag
// is certain rather than raced for: a charge created or revised a moment ago is found all the same,
// its payload is served, and the replica's misses are settled by the primary, as for Profile.
import { describe, expect, it } from 'vitest';
import { pgClusterRequired } from '../pg-cluster.ts';
import type { ClusterService } from '../support/cluster-service.ts';
import { clusterSuite } from './cluster-suite.ts';

const enabled = pgClusterRequired();
const ERROR = 'https://pix.bcb.gov.br/api/v2/error/';

const CHARGE = {
  calendario: { expiracao: 3600 },
  valor: { original: '25.00' },
  chave: 'replica@example.org',
};

describe.skipIf(!enabled)('read replicas: Payment under replication lag', () => {
  const { cluster: started, service: clusterService } = clusterSuite();
  // No load shedding: a busy machine must not turn a request this test depends on into a 503.
  const service = (name: string) => clusterService(name, { LOAD_SHEDDING_ENABLED: 'false' });

  /** The charge's revision as the replica holds it; undefined when it has no such row. */
  async function revisionOnReplica(txid: string): Promise<number | undefined> {
    const rows = await started().query<{ revision: number }>(
      'replica',
      'SELECT revision FROM pix_charges WHERE txid = $1',
      [txid],
    );
    return rows[0]?.revision;
  }

  async function createCharge(svc: ClusterService, txid: string) {
    const response = await svc.request(`/v2/cob/${txid}`, { method: 'PUT', json: CHARGE });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { location: string; revisao: number };
  }

  it('finds a charge created a moment ago, and serves its payload, although the replica has not got it', async () => {
    const svc = await service('rr-pix-create');
    await started().waitForReplication();
    await started().pauseReplay();
    const txid = 'replicaLagCreate0000000000001';
    const { location } = await createCharge(svc, txid);
    expect(await revisionOnReplica(txid)).toBeUndefined();

    // GET right after PUT: the replica's miss is settled on the primary.
    const read = await svc.request(`/v2/cob/${txid}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ txid, revisao: 0, status: 'ATIVA' });
    const first = await svc.request(`/v2/cob/${txid}?revisao=0`);
    expect(first.status).toBe(200);

    // The open payload route too: a payer scanning at once gets the charge, not a 404.
    const token = location.split('/').pop()!;
    const payload = await fetch(`${svc.url}/qr/v2/${token}`);
    expect(payload.status).toBe(200);
    expect(payload.headers.get('content-type')).toBe('application/jose');

    // Still absent on the replica: each of those answers came from the primary.
    expect(await revisionOnReplica(txid)).toBeUndefined();
    await started().resumeReplay();
    await started().waitForReplication();
    expect(await revisionOnReplica(txid)).toBe(0);
  });

  it('finds a revision made a moment ago, and refuses one that exists nowhere', async () => {
    const svc = await service('rr-pix-revise');
    const txid = 'replicaLagRevise0000000000001';
    await createCharge(svc, txid);
    await started().waitForReplication();
    await started().pauseReplay();

    const revised = await svc.request(`/v2/cob/${txid}`, {
      method: 'PATCH',
      json: { valor: { original: '30.00' } },
    });
    expect(revised.status).toBe(200);
    expect(await revised.json()).toMatchObject({ revisao: 1, valor: { original: '30.00' } });
    // The lag is real: the replica still holds revision 0.
    expect(await revisionOnReplica(txid)).toBe(0);

    // The revision the client was just told of: the replica lacks it, the primary has it.
    const atOne = await svc.request(`/v2/cob/${txid}?revisao=1`);
    expect(atOne.status).toBe(200);
    expect(await atOne.json()).toMatchObject({ revisao: 1, valor: { original: '30.00' } });
    const atZero = await svc.request(`/v2/cob/${txid}?revisao=0`);
    expect(await atZero.json()).toMatchObject({ revisao: 0, valor: { original: '25.00' } });

    // A revision that exists on neither: confirmed on the primary, then refused as the spec says.
    const atNine = await svc.request(`/v2/cob/${txid}?revisao=9`);
    expect(atNine.status).toBe(400);
    expect(await atNine.json()).toMatchObject({ type: `${ERROR}CobConsultaInvalida` });

    expect(await revisionOnReplica(txid)).toBe(0);
    await started().resumeReplay();
    await started().waitForReplication();
    expect(await revisionOnReplica(txid)).toBe(1);
  });

  it('answers CobNaoEncontrado for a charge that exists nowhere', async () => {
    const svc = await service('rr-pix-missing');
    await started().pauseReplay();
    const missing = await svc.request('/v2/cob/replicaLagMissing000000000001');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: `${ERROR}CobNaoEncontrado` });
  });
});
