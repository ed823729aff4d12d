// Lint config: Next's rules (react, react-hooks, jsx-a11y, @next/next) plus typescript-eslint's recommended set.
// eslint-config-next 16 exports flat-config arrays, so they are spread, not wrapped in FlatCompat.
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', '.data/**', 'test-results*/**', 'playwright-report/**', 'bench/results/**', 'export/**', '**/*.d.ts'],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // An unused binding is a mistake or dead code; `_`-prefixed names mark the deliberate ones.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Components and the data-access layer never reach into app/: pages hand components their server
    // actions as props, so what a component can do is visible where it is used.
    files: ['components/**', 'lib/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@/app/*', '**/app/*'], message: 'Pass what you need from app/ in as a prop.' }] }],
    },
  },
];

export default config;
