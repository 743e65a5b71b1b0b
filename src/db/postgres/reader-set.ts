import type { DatabaseLogger } from '../database-logger.ts';
import type { EndpointPool } from './endpoint-pool.ts';

interface Reader {
  readonly pool: EndpointPool;
  down: boolean;
}

export interface ReaderSetOptions {
  logger: DatabaseLogger;
  recheckIntervalMs: number;
  probeBoundMs: number;
}

/**
 * Which readers take reads. A reader whose query failed to connect is marked down and probed in the
 * background until it answers; each change of state is logged once.
 */
export class ReaderSet {
  readonly #readers: Reader[];
  readonly #options: ReaderSetOptions;
  #timer: NodeJS.Timeout | undefined;
  #probing = false;
  #closed = false;

  constructor(pools: readonly EndpointPool[], options: ReaderSetOptions) {
    this.#readers = pools.map((pool) => ({ pool, down: false }));
    this.#options = options;
  }

  /** A healthy reader at random; undefined when none is configured or all are down. */
  pick(): EndpointPool | undefined {
    const healthy = this.#readers.filter((reader) => !reader.down);
    return healthy[Math.floor(Math.random() * healthy.length)]?.pool;
  }

  markDown(pool: EndpointPool, error: unknown): void {
    const reader = this.#find(pool);
    if (reader === undefined || reader.down) {
      return;
    }
    reader.down = true;
    this.#options.logger.warn(
      { endpoint: pool.name, err: error },
      'database reader marked down; its reads go to the other readers or the writer',
    );
    if (!this.#closed) {
      this.#timer ??= setInterval(() => void this.#recheck(), this.#options.recheckIntervalMs).unref();
    }
  }

  markUp(pool: EndpointPool): void {
    const reader = this.#find(pool);
    if (reader === undefined || !reader.down) {
      return;
    }
    reader.down = false;
    this.#options.logger.info({ endpoint: pool.name }, 'database reader answers again and takes reads');
    if (this.#readers.every((each) => !each.down)) {
      this.#stopRechecking();
    }
  }

  /** Stops the background probes for good (the pool is closing). */
  close(): void {
    this.#closed = true;
    this.#stopRechecking();
  }

  #stopRechecking(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #recheck(): Promise<void> {
    // A probe may outlast the interval; never run two rounds at once.
    if (this.#probing) {
      return;
    }
    this.#probing = true;
    try {
      await Promise.all(
        this.#readers
          .filter((reader) => reader.down)
          .map(async (reader) => {
            try {
              await reader.pool.probe(this.#options.probeBoundMs);
              this.markUp(reader.pool);
            } catch {
              // Still down; the next round tries again.
            }
          }),
      );
    } finally {
      this.#probing = false;
    }
  }

  #find(pool: EndpointPool): Reader | undefined {
    return this.#readers.find((reader) => reader.pool === pool);
  }
}
