// The module's problem table maps every error the Profile module raises on purpose: each exported
// error class of the domain and of the shared request errors (platform/request-errors.ts) needs a sample here, and each sample a problem.
import { describe, expect, it } from 'vitest';
import * as domainErrors from '../domain/profile-errors.ts';
import { profileErrorToProblem } from './profile-problems.ts';
import * as adapterErrors from '../../platform/request-errors.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

const SAMPLES: Record<
  string,
  { error: Error; status: number; type: string; headers?: Record<string, string> }
> = {
  ProfileNotFoundError: {
    error: new domainErrors.ProfileNotFoundError('0190a5c6-0000-7000-8000-000000000000'),
    status: 404,
    type: '/problems/profile-not-found',
  },
  EmailAlreadyUsedError: {
    error: new domainErrors.EmailAlreadyUsedError(),
    status: 409,
    type: '/problems/email-already-used',
  },
  ProfileVersionMismatchError: {
    error: new domainErrors.ProfileVersionMismatchError('0190a5c6-0000-7000-8000-000000000000', 7),
    status: 412,
    type: '/problems/version-mismatch',
    headers: { ETag: '"7"' },
  },
  InvalidProfileError: {
    error: new domainErrors.InvalidProfileError('name', 'must be 5 to 50 characters long'),
    status: 422,
    type: '/problems/invalid-body',
  },
  PreconditionRequiredError: {
    error: new adapterErrors.PreconditionRequiredError(),
    status: 428,
    type: '/problems/if-match-required',
  },
  InvalidParametersError: {
    error: new adapterErrors.InvalidParametersError([{ name: 'after', reason: 'has expired' }]),
    status: 400,
    type: '/problems/invalid-parameters',
  },
};

function errorClasses(module: Record<string, unknown>): [string, ErrorClass][] {
  return Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] =>
      typeof entry[1] === 'function' && (entry[1] as { prototype: unknown }).prototype instanceof Error,
  );
}

const exported = [...errorClasses(domainErrors), ...errorClasses(adapterErrors)];

describe('profileErrorToProblem', () => {
  it('has a sample for every exported error class of the domain and the HTTP adapter', () => {
    expect(exported.length).toBeGreaterThanOrEqual(6);
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(exported)('maps %s', (name, errorClass) => {
    const sample = SAMPLES[name]!;
    expect(sample.error).toBeInstanceOf(errorClass);
    const problem = profileErrorToProblem(sample.error);
    expect(problem).toMatchObject({ status: sample.status, type: sample.type, title: expect.any(String) });
    expect(problem?.detail).toBe(sample.error.message);
    expect(problem?.headers).toEqual(sample.headers);
  });

  it('names the offending field or parameter where there is one', () => {
    expect(profileErrorToProblem(SAMPLES.InvalidProfileError!.error)?.invalidParams).toEqual([
      { name: 'body.name', reason: 'must be 5 to 50 characters long' },
    ]);
    expect(profileErrorToProblem(SAMPLES.EmailAlreadyUsedError!.error)?.invalidParams).toEqual([
      { name: 'body.email', reason: 'is already used by another profile' },
    ]);
    expect(profileErrorToProblem(SAMPLES.InvalidParametersError!.error)?.invalidParams).toEqual([
      { name: 'after', reason: 'has expired' },
    ]);
  });

  it("leaves errors that are not the module's to the server", () => {
    expect(profileErrorToProblem(new Error('boom'))).toBeUndefined();
    expect(profileErrorToProblem('not even an error')).toBeUndefined();
  });
});
