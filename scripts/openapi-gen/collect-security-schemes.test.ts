import { describe, expect, it } from 'vitest';
import { collectSecuritySchemes } from './collect-security-schemes.ts';
import { parseOpenApiDocument } from './load-document.ts';

function collect(schemes: string) {
  return collectSecuritySchemes(
    parseOpenApiDocument(
      `openapi: 3.0.3\ninfo: { title: t, version: '1' }\ncomponents:\n  securitySchemes:\n${schemes}`,
      'f.yaml',
    ),
  );
}

describe('collectSecuritySchemes', () => {
  it('keeps what enforcement needs, as plain data, and follows refs', () => {
    expect(
      collect(`    key: { type: apiKey, name: X-Api-Key, in: header, description: dropped }
    alias: { $ref: '#/components/securitySchemes/key' }
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://a.example/authorize
          tokenUrl: https://a.example/token
          scopes: { profile.read: Read profiles. }
`),
    ).toEqual({
      key: { type: 'apiKey', name: 'X-Api-Key', in: 'header' },
      alias: { type: 'apiKey', name: 'X-Api-Key', in: 'header' },
      oauth: {
        type: 'oauth2',
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://a.example/authorize',
            tokenUrl: 'https://a.example/token',
            scopes: { 'profile.read': 'Read profiles.' },
          },
        },
      },
    });
  });

  it('rejects an unknown scheme type', () => {
    expect(() => collect('    basic: { type: basic }\n')).toThrow(
      'f.yaml at components.securitySchemes.basic.type: unknown security scheme type "basic"',
    );
  });
});
