// The lint rule that keeps secrets out of === comparisons, as the project's ESLint configuration
// applies it to src/, run on a fixture with marked lines.
import { ESLint, Linter } from 'eslint';
import { readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const FIXTURE = new URL('./fixtures/lint/secret-comparison.ts', import.meta.url);
const ROOT = new URL('..', import.meta.url).pathname;

describe('constant-time comparison lint rule', () => {
  it('flags equality on operands named like secrets, and nothing else', async () => {
    const config = (await new ESLint({ cwd: ROOT }).calculateConfigForFile(
      'src/platform/hmac-signer.ts',
    )) as { rules: Record<string, Linter.RuleEntry> };
    const rule = config.rules['no-restricted-syntax'];
    expect(rule).toBeDefined();

    const source = readFileSync(FIXTURE, 'utf8');
    const messages = new Linter({ cwd: ROOT }).verify(
      source,
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        rules: { 'no-restricted-syntax': rule! },
      },
      FIXTURE.pathname,
    );
    const expectedLines = source
      .split('\n')
      .map((line, index) => (line.includes('// flagged') ? index + 1 : 0))
      .filter((line) => line > 0);
    expect(expectedLines).toHaveLength(4);
    expect([...new Set(messages.map((message) => message.line))]).toEqual(expectedLines);
    expect(messages[0]?.message).toContain('crypto.timingSafeEqual');
  });
});
