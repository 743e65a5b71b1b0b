// Which pagination mode a list request asked for, with its cursors verified. The schema has
// already checked each parameter on its own; this checks how they combine.
import type { InvalidParam } from '../../platform/problem.ts';
import { InvalidCursorError, type SignedCursorCodec } from '../../platform/signed-cursor.ts';
import type { ProfilePosition } from '../domain/profile-store.ts';
import type { CursorRequest } from '../domain/profile-service.ts';
import { InvalidParametersError } from '../../platform/request-errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
/**
 * The deepest offset pagination reaches: page × pageSize may not exceed it. An OFFSET reads and
 * discards every row before it, so one deep page could otherwise scan a client's whole table;
 * cursor pagination (keyset, indexed) goes on from there at the same cost per page.
 */
export const MAX_OFFSET_ITEMS = 10_000;

/** The last page offset pagination can reach at this page size. */
export function lastReachablePage(pageSize: number): number {
  return Math.floor(MAX_OFFSET_ITEMS / pageSize);
}

export interface ListQuery {
  page?: number;
  pageSize?: number;
  limit?: number;
  after?: string;
  before?: string;
}

export type ListRequest =
  { mode: 'offset'; page: number; pageSize: number } | ({ mode: 'cursor' } & CursorRequest);

/** The cursor's payload: a position in (createdAt DESC, id DESC) order. */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function isCursorPosition(value: unknown): value is CursorPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { createdAt, id } = value as Partial<CursorPosition>;
  return typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string';
}

const CURSOR_FAULTS: Record<InvalidCursorError['fault'], string> = {
  malformed: 'is not a cursor this API issued',
  tampered: 'has been altered or was signed with another key',
  expired: 'has expired; start again from the first page',
  foreign: 'belongs to another list',
};

export function readListQuery(query: ListQuery, cursors: SignedCursorCodec<CursorPosition>): ListRequest {
  const offsetParams = (['page', 'pageSize'] as const).filter((name) => query[name] !== undefined);
  const cursorParams = (['limit', 'after', 'before'] as const).filter((name) => query[name] !== undefined);

  if (offsetParams.length > 0 && cursorParams.length > 0) {
    const reason = `cannot be combined with ${offsetParams.join(', ')}: choose offset or cursor pagination`;
    throw new InvalidParametersError(cursorParams.map((name) => ({ name, reason })));
  }
  if (query.after !== undefined && query.before !== undefined) {
    throw new InvalidParametersError([{ name: 'before', reason: 'cannot be combined with after' }]);
  }
  if (offsetParams.length > 0) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    if (page > lastReachablePage(pageSize)) {
      const reason =
        `reaches past the first ${MAX_OFFSET_ITEMS} profiles (page × pageSize may be at most ` +
        `${MAX_OFFSET_ITEMS}); go further with cursor pagination (limit and after)`;
      throw new InvalidParametersError([{ name: 'page', reason }]);
    }
    return { mode: 'offset', page, pageSize };
  }

  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (query.after !== undefined)
    return { mode: 'cursor', limit, after: decode('after', query.after, cursors) };
  if (query.before !== undefined)
    return { mode: 'cursor', limit, before: decode('before', query.before, cursors) };
  return { mode: 'cursor', limit };
}

function decode(name: string, cursor: string, cursors: SignedCursorCodec<CursorPosition>): ProfilePosition {
  try {
    const position = cursors.decode(cursor);
    return { createdAt: new Date(position.createdAt), id: position.id };
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    const invalid: InvalidParam = { name, reason: CURSOR_FAULTS[error.fault] };
    throw new InvalidParametersError([invalid]);
  }
}
