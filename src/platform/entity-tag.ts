// RFC 9110 entity tags and the If-Match / If-None-Match lists that carry them.

export type EntityTagCondition = { kind: 'any' } | { kind: 'list'; tags: EntityTag[] };

export interface EntityTag {
  weak: boolean;
  /** The opaque value between the quotes. */
  opaque: string;
}

const TAG = /^\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*$/;

export function formatStrongTag(opaque: string): string {
  return `"${opaque}"`;
}

/** Parses `*` or a comma-separated list; undefined when the header is absent or malformed. */
export function parseEntityTagCondition(header: string | undefined): EntityTagCondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { kind: 'any' };
  const tags: EntityTag[] = [];
  for (const part of header.split(',')) {
    const match = TAG.exec(part);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2]! });
  }
  return tags.length > 0 ? { kind: 'list', tags } : undefined;
}

/** If-Match uses strong comparison: a weak tag never matches. */
export function strongMatch(condition: EntityTagCondition, opaque: string): boolean {
  return condition.kind === 'any' || condition.tags.some((tag) => !tag.weak && tag.opaque === opaque);
}

/** If-None-Match uses weak comparison: W/"x" matches "x". */
export function weakMatch(condition: EntityTagCondition, opaque: string): boolean {
  return condition.kind === 'any' || condition.tags.some((tag) => tag.opaque === opaque);
}
