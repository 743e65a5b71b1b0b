// The Profile aggregate: its invariants and every way it may change. Pure functions; time and ids
// come from the caller.
import { InvalidProfileError, ProfileVersionMismatchError } from './profile-errors.ts';

export interface Profile {
  id: string;
  name: string;
  email: string;
  age: number | null;
  /** Starts at 1 and grows by one with every change; the ETag is made from it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProfileFields {
  name: string;
  email: string;
  age: number | null;
}

/** RFC 7396 semantics: an absent field is untouched, `age: null` clears the age. */
export type ProfilePatch = Partial<ProfileFields>;

/** What the writer believes the current version is (If-Match): any version, or one of these. */
export type ExpectedVersion = { kind: 'any' } | { kind: 'one-of'; versions: readonly number[] };

export const NAME_MIN_LENGTH = 5;
export const NAME_MAX_LENGTH = 50;
export const EMAIL_MAX_LENGTH = 254;
export const AGE_MIN = 1;
export const AGE_MAX = 150;

export function newProfile(fields: ProfileFields, id: string, now: Date): Profile {
  assertValidFields(fields);
  return { id, ...fields, version: 1, createdAt: now, updatedAt: now };
}

export function replaceProfile(current: Profile, fields: ProfileFields, now: Date): Profile {
  return changed(current, fields, now);
}

export function patchProfile(current: Profile, patch: ProfilePatch, now: Date): Profile {
  const fields: ProfileFields = {
    name: patch.name ?? current.name,
    email: patch.email ?? current.email,
    age: patch.age === undefined ? current.age : patch.age,
  };
  return changed(current, fields, now);
}

/** Throws ProfileVersionMismatchError unless `current` is a version the writer expects. */
export function assertExpectedVersion(current: Profile, expected: ExpectedVersion): void {
  if (expected.kind === 'any' || expected.versions.includes(current.version)) return;
  throw new ProfileVersionMismatchError(current.id, current.version);
}

/** A change that changes nothing keeps the version, so the client's ETag stays valid. */
function changed(current: Profile, fields: ProfileFields, now: Date): Profile {
  assertValidFields(fields);
  if (fields.name === current.name && fields.email === current.email && fields.age === current.age)
    return current;
  return { ...current, ...fields, version: current.version + 1, updatedAt: now };
}

function assertValidFields(fields: ProfileFields): void {
  const nameLength = [...fields.name].length;
  if (nameLength < NAME_MIN_LENGTH || nameLength > NAME_MAX_LENGTH) {
    throw new InvalidProfileError('name', `must be ${NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH} characters long`);
  }
  if (fields.name.trim() !== fields.name || fields.name.trim().length === 0) {
    throw new InvalidProfileError('name', 'must not start or end with white space');
  }
  if (fields.email.length > EMAIL_MAX_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(fields.email)) {
    throw new InvalidProfileError('email', 'must be an email address');
  }
  if (
    fields.age !== null &&
    (!Number.isInteger(fields.age) || fields.age < AGE_MIN || fields.age > AGE_MAX)
  ) {
    throw new InvalidProfileError('age', `must be a whole number from ${AGE_MIN} to ${AGE_MAX}, or null`);
  }
}
