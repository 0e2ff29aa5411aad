// ESLint (flat config) with typescript-eslint, type-aware, over src/, test/, bench/, scripts/ and
// the config files: `npm run lint` runs it, then `prettier --check` (formatting is Prettier's
// job: no stylistic rules here). Type information comes from tsconfig.json, which includes them all.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'dist-bench/', '.pgreconcile/', 'tmp/', 'test/cases/', 'test/fixtures/', 'fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A `switch` over a union names every member, so that a new member fails to lint until
      // it is handled; a `default:` counts as handling the rest (written on purpose).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // A leading underscore marks a value kept for its position or left out of a rest object
      // (`const { renamed: _renamed, ...rest } = x`): the code's convention.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: TypeScript itself reports undefined names (checkJs covers the .mjs scripts), and
      // this rule does not know Node's globals there.
      'no-undef': 'off',
      // Off: an `async` function without `await` is how this code implements a Promise-returning
      // interface (a throw becomes a rejection); 5 findings, none a bug.
      '@typescript-eslint/require-await': 'off',
      // Off: the code String()s `unknown` values on purpose (driver errors, parse-tree scalars,
      // user input being described); 7 findings, none a bug.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // vitest's asymmetric matchers (`expect.any(String)`, `expect.stringContaining(…)`) are typed
    // `any`: placing them in an expected object is what they are for.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The launcher imports dist/ (built code, no types before a build): linted without types.
    files: ['bin/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
