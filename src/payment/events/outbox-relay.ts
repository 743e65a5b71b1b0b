// The relay: runs in the service process, claims due events from the outbox under a lease and hands
// each to its handler (a webhook delivery, or a publish to NATS), then records the outcome. Events of
// different keys go at once; one key's events go one after another, in order. Woken at once when this
// process commits an event, and every poll interval for events committed by other instances.
import type { Clock } from '../../platform/clock.ts';
import type { Log } from '../../platform/log.ts';
import { inLinkedSpan, type Tracer } from '../../platform/tracer.ts';
import type { EventOutbox, Outcome, OutboxEvent } from '../domain/event-outbox.ts';

export interface RelaySettings {
  /** This instance's name on its claims. */
  holder: string;
  pollIntervalMs: number;
  leaseMs: number;
  /** Events claimed at a time. */
  batchSize: number;
}

export type EventHandler = (event: OutboxEvent) => Promise<{ outcome: Outcome; attempted: boolean }>;

export interface RelayDeps {
  outbox: EventOutbox;
  handle: EventHandler;
  clock: Clock;
  tracer: Tracer;
  log: Log;
  /** The span name of one event's relay ("webhook deliver", "events publish"). */
  spanName: string;
}

export class OutboxRelay {
  readonly #settings: RelaySettings;
  readonly #deps: RelayDeps;
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(settings: RelaySettings, deps: RelayDeps) {
    this.#settings = settings;
    this.#deps = deps;
  }

  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#running = this.#loop();
  }

  /** Look for events now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Finishes the events in hand (bounded by the delivery timeout), then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#running = undefined;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      const claimed = await this.#claim();
      if (claimed.length > 0) {
        await Promise.all(claimed.map((event) => this.#relay(event)));
        continue;
      }
      if (!this.#woken) await this.#sleep(this.#settings.pollIntervalMs);
    }
  }

  async #claim(): Promise<OutboxEvent[]> {
    const { holder, leaseMs, batchSize } = this.#settings;
    try {
      return await this.#deps.outbox.claim(
        { holder, leaseMs, limit: batchSize, now: this.#deps.clock.now() },
        true,
      );
    } catch (error) {
      // The database may be away for a while; the next poll tries again.
      this.#deps.log.warn({ err: error }, 'event relay could not claim events');
      return [];
    }
  }

  async #relay(event: OutboxEvent): Promise<void> {
    const { outbox, handle, clock, tracer, log, spanName } = this.#deps;
    try {
      await inLinkedSpan(tracer, spanName, event.traceContext, async () => {
        const { outcome, attempted } = await handle(event);
        const kept = await outbox.settle(event, this.#settings.holder, outcome, attempted, clock.now());
        if (!kept) {
          // Its lease lapsed and another instance took it, or the stream's consumer finished it first.
          log.info({ eventId: event.id }, 'event relay found the event settled elsewhere');
        }
      });
    } catch (error) {
      // Left claimed: the lease lapses and the event is relayed again.
      log.error({ err: error, eventId: event.id }, 'event relay failed on an event; it will be retried');
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
