const path = require('path');

const channelsFile = path.resolve(__dirname, 'channels.json');

// flex-plugin build passes its generated configuration here to adjust. The plugin bundles
// the repository's channels.json, which lives outside src/: alias it, and allow that one
// file in the build's src/-only import rule. @emotion/styled is Flex's own copy at run time
// (Flex exports it as `styled`): a bundled copy would cost bytes and, with its own Emotion
// context, would not see the theme Flex provides.
module.exports = (config) => {
  config.resolve.alias = { ...config.resolve.alias, '@channels-config': channelsFile };
  config.externals = { ...config.externals, '@emotion/styled': 'Twilio.Flex.styled' };
  for (const plugin of config.resolve.plugins || []) {
    if (plugin.allowedFiles instanceof Set) plugin.allowedFiles.add(channelsFile);
  }
  return config;
};
