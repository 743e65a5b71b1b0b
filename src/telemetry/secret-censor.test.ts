import { describe, expect, it } from 'vitest';
import { CENSORED, SECRET_FIELDS, censorSecrets } from './secret-censor.ts';

describe('censorSecrets', () => {
  it('censors every secret-named field at the top level and one level down', () => {
    for (const field of SECRET_FIELDS) {
      expect(censorSecrets({ [field]: 'x', keep: 1 })).toEqual({ [field]: CENSORED, keep: 1 });
      expect(censorSecrets({ nested: { [field]: 'x', keep: 1 } })).toEqual({
        nested: { [field]: CENSORED, keep: 1 },
      });
    }
  });

  it('censors a secret-named field whatever its value, objects included', () => {
    expect(censorSecrets({ token: { value: 'x' }, nested: { secret: ['a', 'b'] } })).toEqual({
      token: CENSORED,
      nested: { secret: CENSORED },
    });
  });

  it('censors credential headers, in any case, in headers at the top level or one level down', () => {
    const headers = {
      Authorization: 'Bearer t',
      cookie: 'c',
      'Set-Cookie': ['s'],
      'x-api-key': 'k',
      'proxy-authorization': 'p',
      accept: 'application/json',
    };
    const censored = {
      Authorization: CENSORED,
      cookie: CENSORED,
      'Set-Cookie': CENSORED,
      'x-api-key': CENSORED,
      'proxy-authorization': CENSORED,
      accept: 'application/json',
    };
    expect(censorSecrets({ headers })).toEqual({ headers: censored });
    expect(censorSecrets({ req: { method: 'GET', headers } })).toEqual({
      req: { method: 'GET', headers: censored },
    });
  });

  it('never changes the object it was given', () => {
    const nested = { password: 'p', keep: 1 };
    const record = { nested, headers: { cookie: 'c' }, token: 't' };
    const censored = censorSecrets(record);
    expect(censored).not.toBe(record);
    expect(record).toEqual({ nested: { password: 'p', keep: 1 }, headers: { cookie: 'c' }, token: 't' });
    expect(nested.password).toBe('p');
  });

  it('returns the same objects when there is nothing to censor', () => {
    const nested = { method: 'GET' };
    const record = { nested, count: 2, list: [{ password: 'in an array: not looked into' }] };
    const result = censorSecrets(record);
    expect(result).toBe(record);
    expect(result.nested).toBe(nested);
  });

  it('does not look deeper than one level', () => {
    const deep = { a: { b: { password: 'two levels down' } } };
    expect(censorSecrets(deep)).toBe(deep);
  });

  it('censors fields of a logged error and keeps it an error, message and stack included', () => {
    const error = Object.assign(new TypeError('failed'), { password: 'p', code: 'E1' });
    const censored = censorSecrets({ err: error }).err as TypeError & { password: string; code: string };
    expect(censored).toBeInstanceOf(TypeError);
    expect(censored).toMatchObject({ message: 'failed', password: CENSORED, code: 'E1' });
    expect(censored.stack).toBe(error.stack);
    expect(error.password).toBe('p');
  });

  it('leaves other instances (buffers, dates, class instances) as they are', () => {
    class Holder {
      password = 'held by an instance its serializer picks from';
    }
    const record = { holder: new Holder(), at: new Date(0), bytes: Buffer.from('token') };
    expect(censorSecrets(record)).toBe(record);
  });

  it('looks into objects made without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { secret: 's' });
    expect(censorSecrets({ bare })).toEqual({ bare: { secret: CENSORED } });
  });
});
