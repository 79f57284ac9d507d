// One lint configuration for the whole workspace (ESLint flat config).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', '**/coverage/**', 'apps/web/src/api/schema.d.ts', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      // The domain stays pure: no framework, no ORM, no I/O.
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq', 'node:fs', 'node:net', 'node:http', 'fs', 'net', 'http'], message: 'libs/domain is pure: no framework or I/O imports.' },
        ],
      }],
    },
  },
  {
    // End-to-end tests read untyped JSON off the wire on purpose.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Every UI text goes through i18next (src/i18n/*.json) so both languages stay complete.
    files: ['apps/web/src/**/*.tsx'],
    ignores: ['apps/web/src/**/*.test.tsx', 'apps/web/src/test/**'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'JSXText[value=/[A-Za-z\\u4e00-\\u9fff]/]', message: 'UI text must come from i18next: use t(...), not a JSX literal.' },
        {
          selector: 'JSXAttribute[name.name=/^(title|placeholder|label|alt|aria-label|okText|cancelText|description|subTitle|extra|tooltip)$/] > Literal[value=/[A-Za-z\\u4e00-\\u9fff]/]',
          message: 'UI text must come from i18next: use t(...), not a string literal.',
        },
      ],
    },
  },
);
