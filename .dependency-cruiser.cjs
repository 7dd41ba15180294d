/**
 * Which part of the kit may import which (checked by `npm run check`). Dependencies run one
 * way: the demo and the test kit use the service and the stand-in; the service uses neither,
 * nor anything of the tests; the stand-in is Twilio's double and knows nothing of the kit.
 */
const OURS = '^(src|contract|logging|middleware|twilio-sandbox|test-kit|demo)/';

/** A forbidden import: from modules whose path matches `from` to modules whose path matches `to`. */
const forbid = (name, from, to, comment) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbid('no-cycles', { path: OURS }, { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } }),
    forbid(
      'resolvable',
      { path: OURS },
      { couldNotResolve: true, pathNot: '^@channels-config$|/compiled-schema$' },
      'An import the checker cannot follow could hide any of the rules below.',
    ),
    forbid(
      'service-stays-clean',
      { path: '^middleware/src/' },
      { path: '^(twilio-sandbox|test-kit|demo)/|^middleware/test/' },
      'The service never imports the stand-in, the test kit, the demo or its own tests.',
    ),
    forbid(
      'widget-shares-only-the-protocol',
      { path: '^middleware/webchat-widget/' },
      { pathNot: '^middleware/(webchat-widget/|src/webchat/protocol\\.ts$|src/rich/(rich-content|customer-replies)\\.ts$)' },
      "The web chat widget is bundled for browsers: it takes the protocol's limits and frame types, and the rich content's model and wording, nothing else of the service, no package.",
    ),
    forbid(
      'rich-model-runs-in-browsers',
      { path: '^middleware/src/rich/(rich-content|customer-replies)\\.ts$' },
      { pathNot: '^middleware/src/rich/rich-content\\.ts$' },
      'The widget bundles the rich content model and the wording of replies: they import nothing else.',
    ),
    forbid(
      'protocol-runs-in-browsers',
      { path: '^middleware/src/webchat/protocol\\.ts$' },
      { dependencyTypesNot: ['type-only'], pathNot: '^middleware/src/inbound/text-limit\\.ts$' },
      'The widget bundles the protocol module: of the service it imports only types and the text limit (its packages: test/webchat/widget-script.test.ts).',
    ),
    forbid('nothing-imports-the-demo', { pathNot: '^demo/' }, { path: '^demo/' }),
    forbid(
      'middleware-through-its-entry-point',
      { pathNot: '^middleware/' },
      { path: '^middleware/src/', pathNot: '^middleware/src/index\\.ts$' },
      'Other packages import `@custom-channels/middleware` (src/index.ts); the rest of src/ is internal and may move.',
    ),
    forbid(
      'stand-in-through-its-entry-points',
      { pathNot: '^twilio-sandbox/' },
      {
        path: '^twilio-sandbox/(src|spec-check)/',
        pathNot: '^twilio-sandbox/(src/(index|main|twilio-client|form)|spec-check/(record-requests|requests\\.check))\\.ts$',
      },
      "Other packages import the stand-in's entry points named in its package.json `exports`, nothing else of it.",
    ),
    forbid(
      'stand-in-stands-alone',
      { path: '^twilio-sandbox/' },
      { path: '^(middleware|test-kit|demo|contract|src)/' },
      "Twilio's double depends only on the logging package, never on the kit it stands in for.",
    ),
    forbid('shared-packages-are-leaves', { path: '^(contract|logging)/src/' }, { path: '^(src|middleware|twilio-sandbox|test-kit|demo)/' }),
    forbid(
      'plugin-is-the-plugin',
      { path: '^src/' },
      { path: '^(middleware|twilio-sandbox|test-kit|demo|logging)/' },
      'The Flex plugin ships alone: it reads the contract, nothing of the middleware side.',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|build|\\.cache)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
