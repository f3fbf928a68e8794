import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** ESLint with typescript-eslint's type-aware recommended rules (floating promises, unsafe any, …). */
export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', 'data/', 'eslint.config.js', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Stores, channels and listeners implement Promise-returning interfaces; an `async` body
      // without an `await` is how they say so, not a mistake.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A registration's values are `unknown` until it has one typed definition (issue 20); they
      // are strings and numbers that String() shows as typed.
      '@typescript-eslint/no-base-to-string': 'off',
      // botbuilder types `activity.type` as a string and offers ActivityTypes as an enum of the same strings.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // Tests read botbuilder's Storage and JSON bodies, which are `any`, to assert on them.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
