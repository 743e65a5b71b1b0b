import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typecheckFolder, type Diagnostic } from '../../test/typecheck-program.ts';

// Small handler programs against the generated fixture API, type-checked with the project's compiler
// options: the good one compiles, each bad one fails for the reason it was written for.
const FIXTURE_API = path.join(import.meta.dirname, 'fixtures/repo/api');

const prelude = `
import type { Profile } from './api/fixture/schema.gen.ts';
import type { FixtureHandlers } from './api/fixture/server.gen.ts';
type GetProfile = Pick<FixtureHandlers<{ requestId: string }>, 'getProfile'>;
const profile: Profile = {
  id: 'a', email: 'ada@example.com', displayName: 'Ada', password: 'p', createdAt: '2026-01-01T00:00:00Z',
};
`;

const programs = {
  'good.ts': `${prelude}
export const handlers: GetProfile = {
  getProfile: async (request) =>
    request.headers['if-none-match'] === '"1"'
      ? { status: 304, headers: { ETag: '"1"' } }
      : { status: 200, headers: { ETag: '"1"' }, body: profile },
};`,
  'undeclared-status.ts': `${prelude}
export const handlers: GetProfile = {
  getProfile: async () => ({ status: 201, headers: { ETag: '"1"' }, body: profile }),
};`,
  'wrong-body.ts': `${prelude}
export const handlers: GetProfile = {
  getProfile: async () => ({ status: 200, headers: { ETag: '"1"' }, body: { ...profile, displayName: 7 } }),
};`,
  'missing-header.ts': `${prelude}
export const handlers: GetProfile = {
  getProfile: async () => ({ status: 200, headers: { 'Cache-Control': 'no-cache' }, body: profile }),
};`,
};

let dir: string;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openapi-gen-types-'));
  await cp(FIXTURE_API, path.join(dir, 'api'), { recursive: true });
  for (const [name, source] of Object.entries(programs)) await writeFile(path.join(dir, name), source);
  diagnostics = await typecheckFolder(dir, Object.keys(programs));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorsIn(file: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.file === file);
}

describe('generated handler types', () => {
  it('accept a handler that returns only declared responses', () => {
    expect(diagnostics.filter((d) => !Object.keys(programs).includes(d.file))).toEqual([]);
    expect(errorsIn('good.ts')).toEqual([]);
  });

  it('reject an undeclared status', () => {
    const [error, ...rest] = errorsIn('undeclared-status.ts');
    expect(rest).toEqual([]);
    expect(error!.code).toBe(2322);
    expect(error!.message).toMatch(/is not assignable to type 'GetProfileResponse'/);
    expect(error!.message).toMatch(/Type '201' is not assignable to type '200'/);
  });

  it('reject a body of the wrong shape', () => {
    const [error, ...rest] = errorsIn('wrong-body.ts');
    expect(rest).toEqual([]);
    expect(error!.code).toBe(2322);
    expect(error!.message).toMatch(/displayName/);
    expect(error!.message).toMatch(/Type 'number' is not assignable to type 'string'/);
  });

  it('reject a response that omits a required header', () => {
    const [error, ...rest] = errorsIn('missing-header.ts');
    expect(rest).toEqual([]);
    expect(error!.code).toBe(2322);
    expect(error!.message).toMatch(/Property 'ETag' is missing/);
  });
});
