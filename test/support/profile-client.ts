// The Profile API as tests drive it: every request through one contract-checked client, so what all
// requests need (an Authorization header) is added here and nowhere else. `api` is the generated
// typed client (clients/profile) over that same contract-checked path; raw `inject` stays for what a
// typed client cannot send (malformed bodies, undeclared parameters, wrong media types).
import {
  createProfileClient,
  type ProfileClient as TypedProfileClient,
} from '@node-backend-template/profile-client';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { contractClient, type ContractClient } from './contract-client.ts';
import { INJECT_ORIGIN, injectFetch } from './inject-fetch.ts';
import { obtainToken, TEST_CLIENT, type ClientCredentials } from './test-auth.ts';

export const PROFILE_CONTRACT = 'oapi/profile.yaml';

export interface ProfileJson {
  id: string;
  name: string;
  email: string;
  age: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProfileInputJson {
  name: string;
  email: string;
  age?: number | null;
}

export interface StoredProfile {
  profile: ProfileJson;
  etag: string;
}

type Request = InjectOptions & { method: string; url: string };

export interface ProfileClient extends ContractClient {
  /** The generated client of clients/profile, with the token, answered by the app in-process. */
  api: TypedProfileClient;
  /** POST /v1/profiles, expecting a 201. */
  create(input: ProfileInputJson): Promise<StoredProfile>;
  /** GET /v1/profiles/{id}, expecting a 200. */
  read(id: string): Promise<StoredProfile>;
  /** A request with a JSON body (`content-type` defaults to application/json). */
  send(
    method: string,
    url: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export interface ProfileClientOptions {
  /** The OAuth client to act as; the test app's bootstrap client by default. */
  as?: ClientCredentials;
}

/** A client of the Profile API holding an access token (all scopes) of the given OAuth client. */
export async function profileClient(
  app: FastifyInstance,
  options: ProfileClientOptions = {},
): Promise<ProfileClient> {
  const token = await obtainToken(app, options.as ?? TEST_CLIENT);
  const client = await contractClient(app, PROFILE_CONTRACT, {
    headers: { authorization: `Bearer ${token}` },
  });
  const inject = (request: Request) => client.inject(request);
  const api = createProfileClient(INJECT_ORIGIN, { fetch: injectFetch(client) });

  const stored = (
    result: { data?: { data: ProfileJson }; error?: unknown; response: Response },
    status: number,
  ): StoredProfile => {
    expect(result.response.status, JSON.stringify(result.error)).toBe(status);
    return { profile: result.data!.data, etag: String(result.response.headers.get('etag')) };
  };

  return {
    contract: client.contract,
    inject,
    api,
    async create(input) {
      return stored(await api.POST('/v1/profiles', { body: input }), 201);
    },
    async read(id) {
      return stored(await api.GET('/v1/profiles/{id}', { params: { path: { id } } }), 200);
    },
    send(method, url, body, headers = {}) {
      return inject({
        method,
        url,
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(body),
      });
    },
  };
}

let emailCounter = 0;

/** A fresh, valid profile input; emails differ on every call so suites can share a database. */
export function newProfileInput(overrides: Partial<ProfileInputJson> = {}): ProfileInputJson {
  emailCounter += 1;
  return {
    name: `Person ${emailCounter}`,
    email: `person-${process.pid}-${emailCounter}@example.com`,
    age: 30,
    ...overrides,
  };
}
