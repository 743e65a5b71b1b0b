// Compile-time proof that the generated handler interface is strict, checked by `npm run typecheck`:
// each `@ts-expect-error` must meet an error, or the directive itself fails the typecheck.

import type { Profile } from './fixtures/repo/api/fixture/schema.gen.ts';
import type {
  FixtureHandlers,
  GetProfileRequest,
  UpdateProfileRequest,
} from './fixtures/repo/api/fixture/server.gen.ts';

interface Context {
  readonly requestId: string;
}
type GetProfile = Pick<FixtureHandlers<Context>, 'getProfile'>;
type UpdateProfile = Pick<FixtureHandlers<Context>, 'updateProfile'>;
type ListProfiles = Pick<FixtureHandlers<Context>, 'listProfiles'>;
type DeleteProfile = Pick<FixtureHandlers<Context>, 'deleteProfile'>;

const profile: Profile = {
  id: '0190f6e4-7d2c-7000-8000-000000000000',
  email: 'ada@example.com',
  displayName: 'Ada',
  password: 'secret',
  createdAt: '2026-01-01T00:00:00Z',
};
const problem = { type: 'about:blank', title: 'Not Found', status: 404 };

export const declaredResponses: GetProfile & UpdateProfile & ListProfiles & DeleteProfile = {
  getProfile: async (request: GetProfileRequest) =>
    request.headers['if-none-match'] === '"1"'
      ? { status: 304, headers: { ETag: '"1"' } }
      : { status: 200, headers: { ETag: '"1"', 'Cache-Control': 'no-cache' }, body: profile },
  // `default` covers any registered status the operation does not declare itself.
  updateProfile: async (request: UpdateProfileRequest) =>
    request.contentType === 'application/merge-patch+json'
      ? { status: 200, headers: { ETag: '"2"' }, body: profile }
      : { status: 409, body: problem },
  listProfiles: async () => ({ status: 200, headers: {}, contentType: 'text/csv', body: 'id,email\n' }),
  deleteProfile: async () => ({ status: 204 }),
};

export const undeclaredStatus: GetProfile = {
  // @ts-expect-error getProfile declares 200, 304 and 404, not 201
  getProfile: async () => ({ status: 201, headers: { ETag: '"1"' }, body: profile }),
};

export const wrongBody: GetProfile = {
  // @ts-expect-error the 200 body is a Profile, and a Profile has an email
  getProfile: async () => ({ status: 200, headers: { ETag: '"1"' }, body: { ...profile, email: 42 } }),
};

export const missingRequiredHeader: GetProfile = {
  // @ts-expect-error the 200 response requires an ETag header
  getProfile: async () => ({ status: 200, headers: {}, body: profile }),
};

export const defaultDoesNotCoverDeclared: UpdateProfile = {
  // @ts-expect-error 200 is declared with a Profile body, so `default`'s problem body cannot take its place
  updateProfile: async () => ({ status: 200, headers: { ETag: '"2"' }, body: problem }),
};

export const undeclaredMediaType: ListProfiles = {
  // @ts-expect-error listProfiles answers JSON or CSV, not XML
  listProfiles: async () => ({ status: 200, headers: {}, contentType: 'application/xml', body: '<a/>' }),
};

export const requestTypes = (request: GetProfileRequest): string => {
  // @ts-expect-error header names are lower-cased, as Node delivers them
  const wrongCase: unknown = request.headers['If-None-Match'];
  return `${request.params.id} ${String(wrongCase)}`;
};
