// Domain <-> HTTP for a single profile: the JSON representation and the entity tag.
import type { Profile as ProfileDto } from '../../../api/profile/schema.gen.ts';
import { clientCopyIsCurrent as copyIsCurrent, requiredIfMatch } from '../../platform/conditional-request.ts';
import { formatStrongTag, parseEntityTagCondition } from '../../platform/entity-tag.ts';
import type { ExpectedVersion, Profile } from '../domain/profile.ts';

export function toProfileDto(profile: Profile): ProfileDto {
  return {
    id: profile.id,
    name: profile.name,
    email: profile.email,
    age: profile.age,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

/** Strong, and derived from the row version: it changes exactly when the representation does. */
export function etagOf(profile: Pick<Profile, 'version'>): string {
  return formatStrongTag(String(profile.version));
}

/** If-Match -> what the writer expects; 428 when absent, 400 when malformed. */
export function expectedVersionFrom(ifMatch: string | undefined): ExpectedVersion {
  const condition = requiredIfMatch(ifMatch);
  if (condition.kind === 'any') return { kind: 'any' };
  // Weak tags never match strongly, and tags we never issued match nothing: both end in a 412.
  const versions = condition.tags.filter((tag) => !tag.weak).flatMap((tag) => versionIn(tag.opaque));
  return { kind: 'one-of', versions };
}

/**
 * If-None-Match -> the newest version the client has seen: the highest version among its tags
 * (weak ones too), 1 for `*` (it has seen the profile exist), undefined when it names none we issued.
 */
export function seenVersionFrom(ifNoneMatch: string | undefined): number | undefined {
  const condition = parseEntityTagCondition(ifNoneMatch);
  if (!condition) return undefined;
  if (condition.kind === 'any') return 1;
  const versions = condition.tags.flatMap((tag) => versionIn(tag.opaque));
  return versions.length === 0 ? undefined : Math.max(...versions);
}

/** The version an entity tag of ours carries; none for a tag we never issued. */
function versionIn(opaque: string): number[] {
  return /^[1-9]\d{0,9}$/.test(opaque) ? [Number(opaque)] : [];
}

/** If-None-Match: true when the client's copy is current (answer 304). Malformed headers are ignored. */
export function clientCopyIsCurrent(ifNoneMatch: string | undefined, profile: Profile): boolean {
  return copyIsCurrent(ifNoneMatch, String(profile.version));
}
