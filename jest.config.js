// The Flex plugin's tests: the preset from @twilio/flex-plugin-test, run by Jest directly
// (flex-plugin test 7.1.2 passes an option Jest 27 rejects), against the real Flex UI bundle.
module.exports = {
  preset: '@twilio/flex-plugin-test',
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
  // A failed test can leave a timer or socket open: end the run when the tests are done.
  forceExit: true,
  setupFilesAfterEnv: ['<rootDir>/src/setupTests.ts'],
  // Flex UI's bundle requires date-fns as ES modules: transform them too.
  transformIgnorePatterns: ['/node_modules/(?!(date-fns|date-fns-tz)/)'],
  // flex-plugin build defines these for the FlexPlugin base class; tests define them here.
  globals: {
    __FPB_PLUGIN_UNIQUE_NAME: 'plugin-custom-channels',
    __FPB_PLUGIN_VERSION: 'test',
    __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: 'test',
    __FPB_FLEX_PLUGIN_VERSION: 'test',
    __FPB_FLEX_UI_VERSION: 'test',
    __FPB_REACT_VERSION: 'test',
    __FPB_REACT_DOM_VERSION: 'test',
  },
  moduleNameMapper: {
    '^src/(.*)$': '<rootDir>/src/$1',
    '^@channels-config$': '<rootDir>/channels.json',
  },
};
