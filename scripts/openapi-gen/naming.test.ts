import { describe, expect, it } from 'vitest';
import { camelCase, deriveOperationId, identifierProblem, pascalCase } from './naming.ts';

describe('naming', () => {
  it.each([
    ['getProfile', 'GetProfile', 'getProfile'],
    ['get-profile', 'GetProfile', 'getProfile'],
    ['get_profile', 'GetProfile', 'getProfile'],
    ['GetProfile', 'GetProfile', 'getProfile'],
    ['list_profiles', 'ListProfiles', 'listProfiles'],
    ['listHTTPLogs', 'ListHTTPLogs', 'listHTTPLogs'],
    ['HTTPStatus', 'HTTPStatus', 'httpStatus'],
    ['get profile v2', 'GetProfileV2', 'getProfileV2'],
  ])('%s -> %s / %s', (input, pascal, camel) => {
    expect(pascalCase(input)).toBe(pascal);
    expect(camelCase(input)).toBe(camel);
  });

  it('names what cannot become an identifier', () => {
    expect(identifierProblem('getProfile')).toBeUndefined();
    expect(identifierProblem('2fa-setup')).toBe('it starts with a digit');
    expect(identifierProblem('--')).toBe('it has no letters or digits');
  });

  it('derives operationIds from method and path', () => {
    expect(deriveOperationId('PUT', '/cob/{txid}')).toBe('putCobByTxid');
    expect(deriveOperationId('GET', '/cobr/{txid}/retentativa/{data}')).toBe(
      'getCobrByTxidRetentativaByData',
    );
    expect(deriveOperationId('POST', '/lotecobv')).toBe('postLotecobv');
  });
});
