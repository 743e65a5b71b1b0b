// A payload location: where a payer's app fetches a charge's signed payload. The URL's last segment
// is an unguessable token, as the payload route is open to anyone who holds it.

export type LocationKind = 'cob' | 'cobv';

export interface Location {
  id: number;
  /** The last segment of `<host>/qr/v2/<token>`. */
  accessToken: string;
  kind: LocationKind;
  /** The charge it serves, if any. */
  txid: string | null;
  createdAt: Date;
}

/** A location before the database numbers it. */
export type NewLocation = Omit<Location, 'id'>;
