// Where request counts live: process memory for one instance, Redis for several sharing a limit.
// Fixed windows: the first hit of a key opens a window of `windowMs`; every hit inside it counts.

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window closes and the count starts again. */
  resetInMs: number;
}

export interface RateLimitStore {
  /** Counts one hit of `key`; rejects when the store cannot answer (the caller decides what then). */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  close(): Promise<void>;
}
