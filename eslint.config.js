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
);
