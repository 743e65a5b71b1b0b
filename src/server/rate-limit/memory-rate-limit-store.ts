// Counters in this process's memory: exact for one instance, per instance when there are several.
import type { RateLimitStore, WindowCount } from './rate-limit-store.ts';

interface Window {
  count: number;
  resetsAt: number;
}

/** How often windows that have closed are dropped, so idle clients do not accumulate. */
const SWEEP_INTERVAL_MS = 60_000;

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.#sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.resetsAt <= now) {
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
