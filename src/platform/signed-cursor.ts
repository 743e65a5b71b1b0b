// Opaque pagination cursors: base64url(JSON payload) + "." + base64url(HMAC-SHA256). The payload
// carries what the cursor points at, which list it belongs to, and when it stops being valid.
import type { Clock } from './clock.ts';
import type { HmacSigner } from './hmac-signer.ts';

export type CursorFault = 'malformed' | 'tampered' | 'expired' | 'foreign';

export class InvalidCursorError extends Error {
  readonly fault: CursorFault;

  constructor(fault: CursorFault) {
    super(`cursor is ${fault}`);
    this.name = 'InvalidCursorError';
    this.fault = fault;
  }
}

interface Envelope<Position> {
  /** Which list the cursor belongs to, so a cursor from one list is refused by another. */
  k: string;
  /** Expiry, epoch seconds. */
  e: number;
  p: Position;
}

export interface SignedCursorOptions {
  signer: HmacSigner;
  clock: Clock;
  /** Names the list; a cursor for another list is refused as foreign. */
  kind: string;
  ttlSeconds: number;
}

export class SignedCursorCodec<Position> {
  readonly #options: SignedCursorOptions;
  readonly #isPosition: (value: unknown) => value is Position;

  constructor(options: SignedCursorOptions, isPosition: (value: unknown) => value is Position) {
    this.#options = options;
    this.#isPosition = isPosition;
  }

  encode(position: Position): string {
    const { clock, kind, ttlSeconds, signer } = this.#options;
    const envelope: Envelope<Position> = {
      k: kind,
      e: Math.floor(clock.now().getTime() / 1000) + ttlSeconds,
      p: position,
    };
    const payload = Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
    return `${payload}.${signer.sign(payload)}`;
  }

  /** The position, or InvalidCursorError saying why not. The signature is checked before anything is parsed. */
  decode(cursor: string): Position {
    const { clock, kind, signer } = this.#options;
    const parts = cursor.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InvalidCursorError('malformed');
    const [payload, signature] = parts as [string, string];
    if (!signer.verify(payload, signature)) throw new InvalidCursorError('tampered');

    let envelope: Partial<Envelope<unknown>>;
    try {
      envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Envelope<unknown>>;
    } catch {
      throw new InvalidCursorError('malformed');
    }
    if (typeof envelope !== 'object' || envelope === null || typeof envelope.e !== 'number') {
      throw new InvalidCursorError('malformed');
    }
    if (envelope.k !== kind) throw new InvalidCursorError('foreign');
    if (envelope.e * 1000 <= clock.now().getTime()) throw new InvalidCursorError('expired');
    if (!this.#isPosition(envelope.p)) throw new InvalidCursorError('malformed');
    return envelope.p;
  }
}
