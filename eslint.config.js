// eslint: the rules the compiler cannot carry. Type-aware (typescript-eslint's project service), so
// a promise nobody awaits, a switch that forgets a case and an import across a layer fail `npm test`.
// The layers and why they are drawn where they are: docs/architecture.md ("Layers").
import eslint from '@eslint/js';
import path from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The layers of docs/architecture.md as an import rule: a file in `src/<layer>` may not import from the
 * layers listed against it. A layer is the first folder under `src` (or a top-level file's name).
 */
const FORBIDDEN_IMPORTS = {
  entities: ['*'],
  infra: [
    'engine',
    'services',
    'resolvers',
    'schema',
    'http',
    'auth',
    'webhooks',
    'observability',
    'bootstrap',
    'workflows',
    'context',
    'pubsub',
    'main',
  ],
  services: ['engine', 'resolvers', 'schema', 'http', 'webhooks', 'context', 'pubsub', 'bootstrap', 'workflows', 'main'],
  engine: ['resolvers', 'schema', 'http', 'webhooks', 'auth', 'observability', 'context', 'bootstrap', 'workflows', 'main'],
  schema: ['resolvers', 'services', 'http', 'webhooks', 'context', 'main'],
  resolvers: ['http', 'bootstrap', 'main'],
  pubsub: ['engine', 'services', 'resolvers', 'schema', 'http', 'auth', 'webhooks', 'entities', 'main'],
};

/**
 * Inside the engine (docs/architecture.md, "Inside the engine"): SQL and MikroORM belong to `engine/store`,
 * and each folder may not import the folders listed against it (`types`: only their types, `except` the
 * modules named). No exceptions: the public surface takes a caller's transaction as the store's
 * `CallerTransaction` and hands it on.
 */
const ENGINE_FOLDERS = {
  definition: {
    forbidden: ['runtime', 'store', 'steps', 'triggers', 'simulation'],
    why: 'the definition language is pure: it parses and checks, it runs nothing',
  },
  simulation: { forbidden: ['store', 'triggers'], why: 'a simulation runs in memory: it reads and writes no database' },
  steps: {
    forbidden: ['triggers', 'simulation'],
    types: ['store'],
    why: 'a step handler sees its run through StepRunContext, never the store',
  },
  runtime: { forbidden: ['triggers', 'simulation'], why: 'the runtime runs claimed runs; triggers start them from outside' },
  triggers: { forbidden: ['steps', 'simulation'], why: 'triggers start and resume runs; they do not run steps' },
  store: {
    forbidden: ['triggers', 'simulation'],
    types: ['runtime', 'steps'],
    except: ['../runtime/flow-decision.js'],
    why: "the store keeps data: it knows the runtime's types, not its workings",
  },
};

/** The engine's import rule for the files of `folder` (undefined: the engine's own top-level files). */
function engineImports(folder) {
  const inStore = folder === 'store';
  const rule = ENGINE_FOLDERS[folder] ?? { forbidden: [] };
  const message = (what) => `${what}: see docs/architecture.md, "Inside the engine"${rule.why ? ` (${rule.why})` : ''}`;
  const patterns = [
    ...rule.forbidden.map((other) => ({ group: [`../${other}/*`], message: message(`engine/${folder} may not import engine/${other}`) })),
    ...(rule.types ?? []).map((other) => ({
      group: [`../${other}/*`, ...(rule.except ?? []).map((allowed) => `!${allowed}`)],
      allowTypeImports: true,
      message: message(`engine/${folder} may import only types from engine/${other}`),
    })),
    ...(inStore
      ? []
      : [
          { group: ['@mikro-orm/*'], message: 'MikroORM is used in engine/store only: see docs/architecture.md, "Inside the engine"' },
          {
            regex: '/entities/statuses\\.js$',
            importNames: ['sqlList'],
            message: 'SQL is written in engine/store only: see docs/architecture.md, "Inside the engine"',
          },
        ]),
  ];
  const paths = inStore
    ? []
    : [
        {
          name: 'pg',
          allowTypeImports: true,
          message:
            'SQL is issued in engine/store only (a pg type, such as a Pool handed in, is fine): see docs/architecture.md, "Inside the engine"',
        },
      ];
  const restricted = [
    // A statement run on a Queryable handed in is SQL as much as one on an imported pool.
    ...(inStore
      ? []
      : [
          {
            selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='query']",
            message: 'SQL is issued in engine/store only: call a store function (see docs/architecture.md, "Inside the engine")',
          },
        ]),
    // The runtime and the store build objects per step and per row.
    ...(folder === 'runtime' || inStore
      ? [
          {
            selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
            message: '{ ...base, field } gets a hidden class of its own every time on Node 20: use withFields (src/infra/with-fields.ts)',
          },
        ]
      : []),
  ];
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
    ...(restricted.length > 0 ? { 'no-restricted-syntax': ['error', ...restricted] } : {}),
  };
}

const engineImportConfigs = [
  { files: ['src/engine/*.ts'], rules: engineImports(undefined) },
  ...Object.keys(ENGINE_FOLDERS).map((folder) => ({ files: [`src/engine/${folder}/**/*.ts`], rules: engineImports(folder) })),
];

function layerOf(file) {
  const parts = path.relative(srcRoot, file).split(path.sep);
  if (parts[0] === '..' || path.isAbsolute(parts[0] ?? '')) return undefined;
  return parts.length === 1 ? parts[0].replace(/\.[jt]s$/, '') : parts[0];
}

const srcRoot = path.join(import.meta.dirname, 'src');

const layersRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { crosses: '{{from}} may not import {{to}} ({{target}}): see docs/architecture.md, "Layers"' },
  },
  create(context) {
    const from = layerOf(context.filename);
    const forbidden = from === undefined ? undefined : FORBIDDEN_IMPORTS[from];
    if (!forbidden) return {};
    function check(node) {
      const target = node.source && typeof node.source.value === 'string' ? node.source.value : undefined;
      if (!target || !target.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), target));
      if (to === undefined || to === from) return;
      if (forbidden.includes('*') || forbidden.includes(to)) context.report({ node, messageId: 'crosses', data: { from, to, target } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'console/dist/**',
      'src/entities/migrations/**',
      '**/*.generated.ts',
      'tests/generated/**',
      'console/src/generated/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Our services are closures returning object literals (no `this`), so a detached method is safe.
      '@typescript-eslint/unbound-method': 'off',
      // Wrong on zod's and the step-handler map's generics (its autofix broke the build there).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      // An async method that does not await is how an interface's promise-returning method is met.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { switchyard: { rules: { layers: layersRule } } },
    rules: { 'switchyard/layers': 'error' },
  },
  ...engineImportConfigs,
  {
    // Plain JavaScript (scripts, the test harness): linted without types.
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    // Node's globals; a misspelt name still fails when the script runs under the tests.
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-undef': 'off' },
  },
  {
    // The process's own lines for the person who started it (the admin's first password, shutdown).
    files: ['src/main.ts', 'src/cli.ts', 'src/resolvers/emit-schema.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Scripts, benchmarks and tests print on purpose, and read JSON answers they then assert on.
    files: ['scripts/**', 'bench/**', 'tests/**', 'console/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
