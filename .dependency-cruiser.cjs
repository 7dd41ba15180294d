/**
 * Which part of the kit may import which (checked by `npm run check`). Dependencies run one
 * way: the demo and the test kit use the service and the stand-in; the service uses neither,
 * nor anything of the tests; the stand-in is Twilio's double and knows nothing of the kit.
 */
const OURS = '^(src|contract|logging|middleware|twilio-sandbox|test-kit|demo)/';

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: { path: OURS }, to: { circular: true } },
    {
      name: 'resolvable',
      comment: 'An import the checker cannot follow could hide any of the rules below.',
      severity: 'error',
      from: { path: OURS },
      to: { couldNotResolve: true, pathNot: '^@channels-config$|/compiled-schema$' },
    },
    {
      name: 'service-stays-clean',
      comment: 'The service never imports the stand-in, the test kit, the demo or its own tests.',
      severity: 'error',
      from: { path: '^middleware/src/' },
      to: { path: '^(twilio-sandbox|test-kit|demo)/|^middleware/test/' },
    },
    {
      name: 'nothing-imports-the-demo',
      severity: 'error',
      from: { pathNot: '^demo/' },
      to: { path: '^demo/' },
    },
    {
      name: 'stand-in-stands-alone',
      comment: "Twilio's double depends only on the logging package, never on the kit it stands in for.",
      severity: 'error',
      from: { path: '^twilio-sandbox/' },
      to: { path: '^(middleware|test-kit|demo|contract|src)/' },
    },
    {
      name: 'shared-packages-are-leaves',
      severity: 'error',
      from: { path: '^(contract|logging)/src/' },
      to: { path: '^(src|middleware|twilio-sandbox|test-kit|demo)/' },
    },
    {
      name: 'plugin-is-the-plugin',
      comment: 'The Flex plugin ships alone: it reads the contract, nothing of the middleware side.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(middleware|twilio-sandbox|test-kit|demo|logging)/' },
    },
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
