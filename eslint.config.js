import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

// The layers, bottom to top (ARCHITECTURE.md). An arrow may only point down:
//   src/model, src/protocol   the document schema and commands; the wire contract
//   src/typography            text rules (hyphenation, bibliographic description, readable sizes)
//   src/slide, src/i18n       the slide renderer (renders in Node too); the string catalogs
//   src/session, local, import, assets, export   services the UI calls
//   src/ui                    React screens
//   src/app, src/main.tsx     composition root
//   src/exhibition            the public exhibition page (renders in Node with react-dom/server)
//   server/                   sees src/model, src/protocol, and for server-rendered pages
//                             src/slide and src/exhibition (their React stays in src/)
const SERVICES = ['session', 'local', 'import', 'assets', 'export'].map((d) => `./src/${d}`);
const ABOVE_SLIDE = [...SERVICES, './src/exhibition', './src/ui', './src/app', './src/main.tsx'];

const layerZones = [
  {
    target: './src/model',
    from: './src',
    except: ['./model'],
    message: 'src/model is the bottom layer: it imports nothing else from src/.',
  },
  {
    target: './src/protocol',
    from: './src',
    except: ['./protocol', './model'],
    message: 'The wire contract depends on the model at most.',
  },
  {
    target: './src/typography',
    from: './src',
    except: ['./typography', './model'],
    message: 'src/typography is pure text rules: it depends on the model at most.',
  },
  {
    target: ['./src/slide', './src/i18n'],
    from: ABOVE_SLIDE,
    message: 'The slide layer and i18n sit under the services and the UI.',
  },
  {
    target: SERVICES,
    from: ['./src/ui', './src/app', './src/main.tsx'],
    message: 'Services sit under the UI: pass what they need in instead.',
  },
  {
    target: './src/ui',
    from: ['./src/app', './src/main.tsx'],
    message: 'src/app is the composition root above the UI.',
  },
  {
    target: './src/exhibition',
    from: [...SERVICES, './src/ui', './src/app', './src/main.tsx'],
    message: 'The exhibition page sits on the slide layer, beside the services.',
  },
  {
    target: './server',
    from: './src',
    // The slug rules of export packages are pure string functions; the address of an exhibition
    // follows the same transliteration.
    except: [
      './model',
      './protocol',
      './typography',
      './slide',
      './exhibition',
      './export/slug.ts',
    ],
    message:
      'The server imports the model, the wire contract, and the slide and exhibition renderers.',
  },
  { target: './src', from: './server', message: 'The client never imports the server.' },
];

const BROWSER_PACKAGES = [
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  '@tiptap/*',
  'zustand',
  'zustand/*',
  'dexie',
  'y-websocket',
  'html-to-image',
  'i18next',
  'react-i18next',
  'i18next-browser-languagedetector',
];

// Browser globals the model must not touch (TypeScript also has no DOM library for it:
// tsconfig.model.json); the model runs in the server, the import worker and tests alike.
const BROWSER_GLOBALS = [
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'requestAnimationFrame',
  'HTMLElement',
  'Element',
  'Node',
];

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'data', 'node_modules', '.tmp', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The model, the contract and the server are shared by every client and the server.
    files: [
      'src/model/**/*.ts',
      'src/protocol/**/*.ts',
      'src/typography/**/*.ts',
      'server/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: BROWSER_PACKAGES, message: 'No React and no browser library here.' }],
        },
      ],
    },
  },
  {
    files: ['src/model/**/*.ts', 'src/protocol/**/*.ts', 'src/typography/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...BROWSER_GLOBALS.map((name) => ({
          name,
          message: 'The model runs outside browsers too.',
        })),
      ],
    },
  },
  {
    // The slide layer renders in Node (react-dom/server) as well as in the browser; only its
    // browser half (browser.tsx) measures layout.
    files: [
      'src/slide/**/*.ts',
      'src/slide/**/*.tsx',
      'src/exhibition/**/*.ts',
      'src/exhibition/**/*.tsx',
    ],
    ignores: ['src/slide/browser.tsx', 'src/slide/**/*.test.ts', 'src/exhibition/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react-dom/client', 'zustand', 'zustand/*', 'dexie', 'y-websocket', 'yjs'],
              message: 'The slide layer renders plain views, in Node too.',
            },
          ],
        },
      ],
    },
  },
  {
    // React reaches the document through the model's commands and the session; yjs types are
    // fine (a Y.Text handed to an input binding), values are not.
    files: ['src/ui/**/*.ts', 'src/ui/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'yjs',
              allowTypeImports: true,
              message: 'The UI uses yjs types only; changes go through src/model commands.',
            },
            {
              name: 'y-websocket',
              allowTypeImports: true,
              message: 'The session owns the provider.',
            },
          ],
        },
      ],
    },
  },
);
