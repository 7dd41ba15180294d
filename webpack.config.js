const path = require('path');

const channelsFile = path.resolve(__dirname, 'channels.json');

// flex-plugin build passes its generated configuration here to adjust. The plugin bundles
// the repository's channels.json, which lives outside src/: alias it, and allow that one
// file in the build's src/-only import rule.
module.exports = (config) => {
  config.resolve.alias = { ...config.resolve.alias, '@channels-config': channelsFile };
  for (const plugin of config.resolve.plugins || []) {
    if (plugin.allowedFiles instanceof Set) plugin.allowedFiles.add(channelsFile);
  }
  return config;
};
