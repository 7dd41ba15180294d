// Read by `twilio flex:plugins:start`, which serves Flex locally with this plugin.
// Runtime channel overrides belong in the Flex configuration (ui_attributes.custom_data),
// not here.
/* exported appConfig */
var appConfig = {
  pluginService: {
    enabled: true,
    url: '/plugins',
  },
  ytica: false,
  logLevel: 'info',
  showSupervisorDesktopView: true,
};
