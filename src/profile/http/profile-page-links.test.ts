// Offset links lead only to pages a request may ask for: with more rows than offset pagination
// reaches, `last` is the deepest reachable page, not the page count.
import { describe, expect, it } from 'vitest';
import { lastReachablePage, MAX_OFFSET_ITEMS } from './profile-list-query.ts';
import { offsetLinks } from './profile-page-links.ts';

describe('offset links', () => {
  it('end at the last reachable page of a table larger than offset pagination reaches', () => {
    expect(lastReachablePage(200)).toBe(MAX_OFFSET_ITEMS / 200);
    const totalPages = 1_000_000 / 200;
    const last = Math.min(totalPages, lastReachablePage(200));
    expect(offsetLinks(last, 200, last)).toBe(
      '</v1/profiles?page=1&pageSize=200>; rel="first", </v1/profiles?page=49&pageSize=200>; rel="prev", ' +
        '</v1/profiles?page=50&pageSize=200>; rel="last"',
    );
    expect(lastReachablePage(3)).toBe(3333);
  });
});
