// The service against a real primary and streaming replica: where reads and writes go, as the
// servers report it, and what a client sees while the replica lags (replay paused, so the lag is
// certain rather than raced for).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pgClusterRequired } from '../pg-cluster.ts';
import type { ClusterService } from '../support/cluster-service.ts';
import { clusterSuite } from './cluster-suite.ts';
import { newProfileBody } from '../support/profile-payload.ts';
import {
  checkedClientStatus,
  connectionsOn,
  readProfiles,
  type ServerConnection,
} from '../support/server-connections.ts';

const enabled = pgClusterRequired();

describe.skipIf(!enabled)('read replicas: routing and replication lag', () => {
  const { cluster: started, service } = clusterSuite();

  async function createProfile(svc: ClusterService) {
    const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { data: { id: string } };
    return {
      id: body.data.id,
      etag: response.headers.get('etag'),
      location: response.headers.get('location'),
    };
  }

  /** The profile's version as the replica holds it; undefined when it has no such row. */
  async function versionOnReplica(id: string): Promise<number | undefined> {
    const rows = await started().query<{ version: number }>(
      'replica',
      'SELECT version FROM profiles WHERE id = $1',
      [id],
    );
    return rows[0]?.version;
  }

  it('runs the replica in recovery, so it can take no write', async () => {
    expect(await started().query('primary', 'SELECT pg_is_in_recovery() AS recovery')).toEqual([
      { recovery: false },
    ]);
    expect(await started().query('replica', 'SELECT pg_is_in_recovery() AS recovery')).toEqual([
      { recovery: true },
    ]);
  });

  it('sends writes to the primary and reads to the replica, as the servers see it', async () => {
    const svc = await service('rr-routing');
    const { id } = await createProfile(svc);
    // Only the write so far: the service holds connections on the primary; the replica has served
    // nothing but the authentication's client status read (a read, so it goes to the replica).
    const profileWork = (connection: ServerConnection) => !checkedClientStatus(connection);
    expect((await connectionsOn(started(), 'primary', 'rr-routing')).length).toBeGreaterThan(0);
    expect((await connectionsOn(started(), 'replica', 'rr-routing')).filter(profileWork)).toEqual([]);

    await started().waitForReplication();
    for (let read = 0; read < 5; read += 1) {
      expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);
    }
    const list = await svc.request('/v1/profiles?pageSize=5');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { data: { id: string }[] }).data.map((profile) => profile.id)).toContain(
      id,
    );

    const onReplica = (await connectionsOn(started(), 'replica', 'rr-routing')).filter(profileWork);
    expect(onReplica.length).toBeGreaterThan(0);
    expect(onReplica.every(readProfiles)).toBe(true);
    // The primary saw the write's transaction and no read.
    const onPrimary = await connectionsOn(started(), 'primary', 'rr-routing');
    expect(onPrimary.length).toBeGreaterThan(0);
    expect(onPrimary.some(readProfiles)).toBe(false);
  });

  it('never answers 412 or 404 to a client sending the ETag it just received while the replica lags', async () => {
    const svc = await service('rr-lag');
    const { id } = await createProfile(svc);
    await started().waitForReplication();
    await started().pauseReplay();

    const first = await svc.request(`/v1/profiles/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      json: { age: 43 },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    // The lag is real: the replica still holds version 1.
    expect(await versionOnReplica(id)).toBe(1);

    // Conditional writes are judged on the primary, inside their transaction.
    const second = await svc.request(`/v1/profiles/${id}`, {
      method: 'PUT',
      headers: { 'if-match': '"2"' },
      json: { name: 'Grace B. Hopper', email: `${randomUUID()}@example.org`, age: 44 },
    });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe('"3"');

    // The client's newest ETag: the replica's copy is older, so the primary answers.
    const conditional = await svc.request(`/v1/profiles/${id}`, { headers: { 'if-none-match': '"3"' } });
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get('etag')).toBe('"3"');

    // An older ETag than the newest: the answer is at least as new as it, so version 3 in full.
    const older = await svc.request(`/v1/profiles/${id}`, { headers: { 'if-none-match': '"2"' } });
    expect(older.status).toBe(200);
    expect(older.headers.get('etag')).toBe('"3"');
    expect(((await older.json()) as { data: { name: string } }).data.name).toBe('Grace B. Hopper');

    // No ETag: the replica answers, as documented, with what it has.
    const plain = await svc.request(`/v1/profiles/${id}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('etag')).toBe('"1"');

    expect(await versionOnReplica(id)).toBe(1);
    await started().resumeReplay();
    await started().waitForReplication();
    const caughtUp = await svc.request(`/v1/profiles/${id}`);
    expect(caughtUp.headers.get('etag')).toBe('"3"');
  });

  it('finds a profile created a moment ago although the replica has not got it yet', async () => {
    const svc = await service('rr-lag-create');
    await started().pauseReplay();
    const { id, location, etag } = await createProfile(svc);
    expect(location).toBe(`/v1/profiles/${id}`);
    expect(await versionOnReplica(id)).toBeUndefined();

    // Following Location without any header: the replica's miss is settled by the primary.
    const followed = await svc.request(location!);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('etag')).toBe(etag);
    const conditional = await svc.request(location!, { headers: { 'if-none-match': etag! } });
    expect(conditional.status).toBe(304);

    const deleted = await svc.request(location!, { method: 'DELETE', headers: { 'if-match': etag! } });
    expect(deleted.status).toBe(204);
    expect(await versionOnReplica(id)).toBeUndefined();
    // Gone on the primary too: the replica's miss is confirmed there.
    expect((await svc.request(location!)).status).toBe(404);
  });

  it('answers 404 for a profile that exists nowhere, with or without an ETag', async () => {
    const svc = await service('rr-missing');
    const missing = randomUUID();
    expect((await svc.request(`/v1/profiles/${missing}`)).status).toBe(404);
    expect(
      (await svc.request(`/v1/profiles/${missing}`, { headers: { 'if-none-match': '"4"' } })).status,
    ).toBe(404);
  });
});
