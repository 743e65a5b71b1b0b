// The modules' background work (src/server/service-module.ts) on the server's lifecycle.
import type { FastifyInstance } from 'fastify';
import type { BackgroundWorker } from './service-module.ts';

/**
 * The modules' background work runs while the server listens: started after listen, stopped when it
 * closes (main.ts closes the database only after that). A server driven by inject runs none.
 */
export function runWorkersWhileListening(
  server: FastifyInstance,
  workers: readonly BackgroundWorker[],
): void {
  if (workers.length === 0) return;
  const started: BackgroundWorker[] = [];
  // A worker's start returns once its work is under way (one that waits for a broker keeps trying
  // in the background), so listening is not held up.
  server.addHook('onListen', async () => {
    for (const worker of workers) {
      try {
        await worker.start();
        started.push(worker);
      } catch (error) {
        server.log.error({ err: error, worker: worker.name }, 'background worker failed to start');
      }
    }
  });
  server.addHook('onClose', async () => {
    await Promise.all(
      started.splice(0).map((worker) =>
        worker.stop().catch((error: unknown) => {
          server.log.error({ err: error, worker: worker.name }, 'background worker failed to stop cleanly');
        }),
      ),
    );
  });
}
