import { describe, expect, it } from 'vitest';
import { parseCodegenConfig } from './codegen-config.ts';

describe('parseCodegenConfig', () => {
  it('reads the APIs', () => {
    const config = parseCodegenConfig(
      'apis:\n  - name: profile\n    spec: profile.yaml\n  - name: pix-api\n    spec: ref/pix.yaml\n    deriveOperationIds: true\n',
      'oapi/codegen.yaml',
    );
    expect(config.apis).toEqual([
      { name: 'profile', spec: 'profile.yaml', deriveOperationIds: false },
      { name: 'pix-api', spec: 'ref/pix.yaml', deriveOperationIds: true },
    ]);
  });

  it('accepts an empty list, or an empty file', () => {
    expect(parseCodegenConfig('apis: []\n', 'c.yaml').apis).toEqual([]);
    expect(parseCodegenConfig('# nothing yet\n', 'c.yaml').apis).toEqual([]);
  });

  it.each([
    [
      'an unknown top-level key',
      'apis: []\noutput: api\n',
      'c.yaml at output: unknown config key (known: apis)',
    ],
    [
      'an unknown API key',
      'apis:\n  - { name: a, spec: a.yaml, strict: true }\n',
      'c.yaml at apis[0].strict: unknown config key (known: name, spec, deriveOperationIds, documentationOnly)',
    ],
    [
      'a bad name',
      'apis:\n  - { name: Profile, spec: a.yaml }\n',
      'c.yaml at apis[0].name: must be a lower-case',
    ],
    [
      'a duplicate name',
      'apis:\n  - { name: a, spec: a.yaml }\n  - { name: a, spec: b.yaml }\n',
      "c.yaml at apis[1].name: duplicate API name 'a'",
    ],
    [
      'a spec outside the folder',
      'apis:\n  - { name: a, spec: ../a.yaml }\n',
      'c.yaml at apis[0].spec: must be',
    ],
    [
      'a non-boolean flag',
      'apis:\n  - { name: a, spec: a.yaml, deriveOperationIds: yes }\n',
      'must be true or false',
    ],
    ['invalid YAML', 'apis: [\n', /^c\.yaml: invalid YAML/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseCodegenConfig(text, 'c.yaml')).toThrow(message);
  });
});
