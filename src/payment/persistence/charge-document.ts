// A charge as stored in jsonb (its current state and each revision): the domain object with its
// dates as ISO strings, read back into the domain object.
import type { Charge } from '../domain/charge.ts';

type Stored<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export type ChargeDocument = Omit<Stored<Charge>, 'location'> & {
  location: Stored<NonNullable<Charge['location']>> | null;
};

export function toChargeDocument(charge: Charge): ChargeDocument {
  return {
    ...charge,
    createdAt: charge.createdAt.toISOString(),
    updatedAt: charge.updatedAt.toISOString(),
    location: charge.location && { ...charge.location, createdAt: charge.location.createdAt.toISOString() },
  };
}

export function fromChargeDocument(document: ChargeDocument): Charge {
  return {
    ...document,
    createdAt: new Date(document.createdAt),
    updatedAt: new Date(document.updatedAt),
    location: document.location && { ...document.location, createdAt: new Date(document.location.createdAt) },
  };
}
