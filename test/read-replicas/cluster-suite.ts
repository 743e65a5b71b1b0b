// What every replica suite sets up: one primary and streaming replica for the whole suite, migrated
// once; the services each test starts on it, closed after that test, with the cluster put back as
// it was (nodes restarted, replay resumed); and the cluster torn down at the end.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startPgCluster, type PgCluster } from '../pg-cluster.ts';
import { startClusterService, migrateCluster, type ClusterService } from '../support/cluster-service.ts';

export interface ClusterSuite {
  /** The suite's cluster; throws when it failed to start, so a test fails with that reason. */
  cluster: () => PgCluster;
  /** Starts the service on the cluster, naming its connections so the servers can tell them apart. */
  service: (applicationName: string, env?: Record<string, string>) => Promise<ClusterService>;
}

/** Registers the suite's hooks; call it inside the suite's describe. */
export function clusterSuite(): ClusterSuite {
  let cluster: PgCluster | undefined;
  const services: ClusterService[] = [];

  beforeAll(async () => {
    cluster = await startPgCluster();
    await migrateCluster(cluster);
    await cluster.waitForReplication();
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((svc) => svc.close()));
    await cluster?.restore();
  });

  afterAll(async () => {
    await cluster?.teardown();
  });

  function started(): PgCluster {
    if (cluster === undefined) throw new Error('the cluster did not start');
    return cluster;
  }

  return {
    cluster: started,
    async service(applicationName, env = {}) {
      const svc = await startClusterService(started(), {
        POSTGRES_APPLICATION_NAME: applicationName,
        ...env,
      });
      services.push(svc);
      return svc;
    },
  };
}
