// The Profile API's driving adapter: implements the generated handler interface, maps DTOs to the
// domain and back, and nothing else. Domain errors travel up to the problem table.
import type { ProfileHandlers } from '../../../api/profile/server.gen.ts';
import type { ProfileListMeta } from '../../../api/profile/schema.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { SignedCursorCodec } from '../../platform/signed-cursor.ts';
import type { ProfileService } from '../domain/profile-service.ts';
import type { ProfilePosition } from '../domain/profile-store.ts';
import type { Profile } from '../domain/profile.ts';
import { lastReachablePage, readListQuery, type CursorPosition } from './profile-list-query.ts';
import { cursorLinks, offsetLinks } from './profile-page-links.ts';
import {
  clientCopyIsCurrent,
  etagOf,
  expectedVersionFrom,
  seenVersionFrom,
  toProfileDto,
} from './profile-representation.ts';

export interface ProfileHandlerDeps {
  profiles: ProfileService;
  cursors: SignedCursorCodec<CursorPosition>;
}

/**
 * The owner of the profiles a request may see: its client. Every Profile operation is secured in
 * the contract, so the server has authenticated the client before a handler runs.
 */
function ownerOf(context: RequestContext): string {
  if (context.clientId === undefined) {
    throw new Error(
      'a Profile operation ran without an authenticated client; is it secured in the contract?',
    );
  }
  return context.clientId;
}

function meta(context: RequestContext) {
  return { requestId: context.requestId, traceId: context.traceId };
}

function document(profile: Profile, context: RequestContext) {
  return { data: toProfileDto(profile), meta: meta(context) };
}

function etagsOf(items: readonly Profile[]): Record<string, string> {
  return Object.fromEntries(items.map((profile) => [profile.id, etagOf(profile)]));
}

function positionOf(position: ProfilePosition): CursorPosition {
  return { createdAt: position.createdAt.toISOString(), id: position.id };
}

export function createProfileHandlers({
  profiles,
  cursors,
}: ProfileHandlerDeps): ProfileHandlers<RequestContext> {
  return {
    async createProfile({ body }, context) {
      const profile = await profiles.create(ownerOf(context), {
        name: body.name,
        email: body.email,
        age: body.age ?? null,
      });
      return {
        status: 201,
        headers: { Location: `/v1/profiles/${profile.id}`, ETag: etagOf(profile) },
        body: document(profile, context),
      };
    },

    async getProfile({ params, headers }, context) {
      // The version the client holds lets a lagging replica be bypassed rather than answer 404 or older.
      const profile = await profiles.get(
        ownerOf(context),
        params.id,
        seenVersionFrom(headers['if-none-match']),
      );
      if (clientCopyIsCurrent(headers['if-none-match'], profile)) {
        return { status: 304, headers: { ETag: etagOf(profile) } };
      }
      return { status: 200, headers: { ETag: etagOf(profile) }, body: document(profile, context) };
    },

    async replaceProfile({ params, headers, body }, context) {
      const expected = expectedVersionFrom(headers['if-match']);
      const profile = await profiles.replace(ownerOf(context), params.id, expected, {
        name: body.name,
        email: body.email,
        age: body.age ?? null,
      });
      return { status: 200, headers: { ETag: etagOf(profile) }, body: document(profile, context) };
    },

    async updateProfile({ params, headers, body }, context) {
      const expected = expectedVersionFrom(headers['if-match']);
      const profile = await profiles.patch(ownerOf(context), params.id, expected, body);
      return { status: 200, headers: { ETag: etagOf(profile) }, body: document(profile, context) };
    },

    async deleteProfile({ params, headers }, context) {
      await profiles.delete(ownerOf(context), params.id, expectedVersionFrom(headers['if-match']));
      return { status: 204 };
    },

    async listProfiles({ query }, context) {
      const request = readListQuery(query, cursors);

      if (request.mode === 'offset') {
        const { items, totalItems } = await profiles.listByOffset(
          ownerOf(context),
          request.page,
          request.pageSize,
        );
        const totalPages = Math.ceil(totalItems / request.pageSize);
        const listMeta: ProfileListMeta = {
          ...meta(context),
          mode: 'offset',
          page: request.page,
          pageSize: request.pageSize,
          totalItems,
          totalPages,
          etags: etagsOf(items),
        };
        return {
          status: 200,
          headers: {
            // Links lead only to pages a request may ask for.
            Link: offsetLinks(
              request.page,
              request.pageSize,
              Math.min(totalPages, lastReachablePage(request.pageSize)),
            ),
          },
          body: { data: items.map(toProfileDto), meta: listMeta },
        };
      }

      const page = await profiles.listByCursor(ownerOf(context), request);
      const nextCursor = page.older ? cursors.encode(positionOf(page.older)) : null;
      const prevCursor = page.newer ? cursors.encode(positionOf(page.newer)) : null;
      const link = cursorLinks(request.limit, nextCursor, prevCursor);
      const listMeta: ProfileListMeta = {
        ...meta(context),
        mode: 'cursor',
        limit: request.limit,
        nextCursor,
        prevCursor,
        etags: etagsOf(page.items),
      };
      return {
        status: 200,
        headers: link ? { Link: link } : {},
        body: { data: page.items.map(toProfileDto), meta: listMeta },
      };
    },
  };
}
