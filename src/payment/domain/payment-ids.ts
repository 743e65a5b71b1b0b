// The identifiers the Payment module makes, injected so tests can predict them.

export interface PaymentIds {
  /** A row id (UUIDv7). */
  rowId(): string;
  /** A txid for POST /v2/cob: 26 to 35 letters and digits. */
  txid(): string;
  /** E + ISPB + yyyyMMddHHmm (UTC) + 11 alphanumerics: 32 characters. */
  endToEndId(at: Date): string;
  /** A refund's return id, in the same 32-character form, starting with D. */
  returnId(at: Date): string;
  /** The unguessable last segment of a payload location's URL. */
  locationToken(): string;
}
