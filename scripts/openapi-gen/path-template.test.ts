import { describe, expect, it } from 'vitest';
import { pathTemplateParams, toFastifyUrl } from './path-template.ts';

describe('path templates', () => {
  it('turns OpenAPI templates into Fastify urls', () => {
    expect(toFastifyUrl('/v1/profiles/{id}')).toBe('/v1/profiles/:id');
    expect(toFastifyUrl('/cobr/{txid}/retentativa/{data}')).toBe('/cobr/:txid/retentativa/:data');
    expect(toFastifyUrl('/health')).toBe('/health');
  });

  it("escapes a literal colon as find-my-way wants ('::')", () => {
    expect(toFastifyUrl('/v1/jobs/{id}:cancel')).toBe('/v1/jobs/:id::cancel');
  });

  it('lists the template parameters in order', () => {
    expect(pathTemplateParams('/a/{x}/b/{y}')).toEqual(['x', 'y']);
    expect(pathTemplateParams('/a')).toEqual([]);
  });
});
