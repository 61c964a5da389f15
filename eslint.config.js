// Lint, and the boundaries between the runtimes (after VS Code's layers and Signal's
// checked file kinds): shared/ is pure, renderer/ is a sandboxed web page, electron/ is Node.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noNode = nodeBuiltins.map((name) => ({
  name,
  message: 'Node built-ins are not available here: keep this code runnable in the sandboxed renderer.',
}));
const noElectron = [
  { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
];

/** Globals that belong to a browser or to Node: none may be used by the pure core. */
const runtimeGlobals = [
  'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'location',
  'fetch', 'XMLHttpRequest', 'process', 'require', 'Buffer', '__dirname', '__filename', 'global',
].map((name) => ({ name, message: 'shared/ is pure: take what you need as a parameter.' }));

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'dist-web/', 'release/', 'test/artifacts/', 'coverage/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode, ...noElectron],
          patterns: [
            { group: ['**/renderer/**', '**/renderer'], message: 'shared/ may not import the renderer.' },
            { group: ['**/electron/**'], message: 'shared/ may not import electron/ code.' },
            { group: ['react', 'react-dom', 'dexie', 'antd'], message: 'shared/ is pure domain code.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...runtimeGlobals],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode, ...noElectron],
          patterns: [{ group: ['**/electron/**'], message: 'The renderer talks to main only through the bridge.' }],
        },
      ],
      // One module reads the bridge (renderer/bridge/index.ts); everything else calls getClientApi().
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'clientApi', message: 'Use getClientApi() from renderer/bridge.' },
      ],
    },
  },
  {
    files: ['renderer/bridge/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['electron/**/*.ts', 'scripts/**/*.{ts,mjs,js}', 'test/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha, browser: 'readonly', $: 'readonly', $$: 'readonly', expect: 'readonly' } },
  },
);
