// Code style and correctness rules. Import boundaries live in .dependency-cruiser.cjs.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Comparing a secret with === leaks, through timing, how many leading characters matched. Secrets are
// compared with crypto.timingSafeEqual. Flags ===/!==/==/!= with an operand named like a secret
// (`signature`, `expectedDigest`, `request.token`); comparing with a literal or undefined is fine.
// Character classes rather than the i flag, which esquery's regex attributes do not take. Names are
// matched by regex because esquery reads a missing attribute as the string 'undefined'.
const SECRET_NAME = '/([Ss]ecret|[Ss]ignature|[Tt]oken|[Hh]ash|[Pp]assword|[Dd]igest)s?$/';
const EQUALITY =
  "BinaryExpression[operator=/^[!=]==?$/]:not([left.type='Literal'], [right.type='Literal'], [left.name=/^undefined$/], [right.name=/^undefined$/])";
const CONSTANT_TIME_MESSAGE =
  'Compare secrets (signatures, tokens, hashes, passwords, digests) with crypto.timingSafeEqual, not an equality operator.';
export const constantTimeComparisonRule = [
  'error',
  { selector: `${EQUALITY} > Identifier[name=${SECRET_NAME}]`, message: CONSTANT_TIME_MESSAGE },
  {
    selector: `${EQUALITY} > MemberExpression[property.name=${SECRET_NAME}]`,
    message: CONSTANT_TIME_MESSAGE,
  },
];

export default tseslint.config(
  {
    ignores: [
      'api/**',
      'clients/**',
      'scripts/openapi-gen/fixtures/repo/api/**',
      'scripts/openapi-gen/fixtures/repo/clients/**',
      'dist/**',
      'coverage/**',
      '.data/**',
      'node_modules/**',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Handlers implement promise-returning interfaces whether or not they await.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      'no-restricted-syntax': constantTimeComparisonRule,
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
