// What each way of moving events out of the module hands to the server: its workers, and `wake` for
// the use cases to call after they commit an event.
import type { BackgroundWorker } from '../../server/service-module.ts';

export interface RelayPipeline {
  workers: BackgroundWorker[];
  wake: () => void;
}
