// Counters in this process's memory: exact for one instance, per instance when there are several.
import type { RateLimitStore, WindowCount } from './rate-limit-store.ts';

interface Window {
  count: number;
  resetsAt: number;
}

/** How often windows that have closed are dropped, so idle clients do not accumulate. */
const SWEEP_INTERVAL_MS = 60_000;

/** Thrown when a new client would exceed the store's key bound; the limiter treats it as a store failure. */
export class RateLimitStoreFullError extends Error {
  constructor(maxKeys: number) {
    super(`the in-memory rate limit store holds its maximum of ${maxKeys} open windows`);
    this.name = 'RateLimitStoreFullError';
  }
}

export interface MemoryStoreOptions {
  /** Open windows kept at most: bounds memory when very many clients (or spoofed ones) arrive at once. */
  maxKeys: number;
  now?: () => number;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, Window>();
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions) {
    this.#maxKeys = options.maxKeys;
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.#sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.resetsAt <= now) {
      if (!window && this.#windows.size >= this.#maxKeys) {
        this.sweep();
        if (this.#windows.size >= this.#maxKeys) throw new RateLimitStoreFullError(this.#maxKeys);
      }
      window = { count: 0, resetsAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.resetsAt - now };
  }

  /** Drops every closed window. */
  sweep(): void {
    const now = this.#now();
    for (const [key, window] of this.#windows) if (window.resetsAt <= now) this.#windows.delete(key);
  }

  /** Keys with an open or not yet swept window. */
  get size(): number {
    return this.#windows.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#windows.clear();
  }
}
