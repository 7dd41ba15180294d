/**
 * The real Flex UI in a page, as Flex sets itself up for plugins: a Flex.Manager on a real
 * Flex store, Flex and its libraries on window, the built plugin loaded through Flex's own
 * plugin manager. Runs in the browser (bundled with the pages).
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import ReactDOM from 'react-dom';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';

const PLUGIN_UUID = 'flex-preview-plugin';
const PLUGIN_URL = './plugin-custom-channels.js';

interface PluginManager {
  setup(flex: unknown, manager: unknown): void;
  storePluginDefinition(plugins: unknown[]): void;
  areAllPluginsInitialized: boolean;
}

function createFlexManager(configuration: Record<string, unknown>): Flex.Manager {
  const store = Redux.createStore(
    Redux.combineReducers({ flex: Flex.FlexReducer as Redux.Reducer }),
    Redux.compose(Redux.applyMiddleware(), Flex.flexStoreEnhancer as Redux.StoreEnhancer),
  );
  const ManagerClass = Flex.Manager as unknown as new (config: unknown, store: unknown) => Flex.Manager;
  return new ManagerClass({ theme: { isLight: true }, ...configuration }, store);
}

/**
 * Loads the built plugin as Flex does: a script whose uuid Flex's plugin manager knows. A
 * script file, not inline code, so the page's content security policy can refuse inline scripts.
 */
async function loadPlugin(manager: Flex.Manager): Promise<void> {
  const plugins = (Flex as unknown as { Plugins: PluginManager }).Plugins;
  plugins.setup(Flex, manager);
  plugins.storePluginDefinition([{ uuid: PLUGIN_UUID, name: 'plugin-custom-channels', version: '0.1.0', phase: 0, state: 'NotStarted' }]);
  const script = document.createElement('script');
  script.setAttribute('uuid', PLUGIN_UUID);
  script.src = PLUGIN_URL;
  await new Promise((loaded, failed) => {
    script.onload = loaded;
    script.onerror = () => failed(new Error(`the plugin did not load from ${PLUGIN_URL}`));
    document.body.appendChild(script);
  });
  while (!plugins.areAllPluginsInitialized) await new Promise((done) => setTimeout(done, 10));
}

/**
 * Flex with the built plugin loaded, ready to render Flex's components. `configuration` is
 * merged into Flex's configuration as an account's ui_attributes would be (custom_data…).
 */
export async function startFlex(configuration: Record<string, unknown> = {}): Promise<Flex.Manager> {
  Object.assign(window, { React, ReactDOM, Redux, ReactRedux, Twilio: { Flex } });
  const manager = createFlexManager(configuration);
  await loadPlugin(manager);
  // As in Flex, the manager loads after the plugins: what their task channels add to Flex's components is wired then.
  await (manager as unknown as { loadInitialData(): Promise<void> }).loadInitialData();
  return manager;
}

/** Renders into #root inside Flex's store and theme, as Flex wraps its own views. */
export function renderInFlex(manager: Flex.Manager, view: React.ReactElement): void {
  const root = document.getElementById('root') as HTMLElement;
  ReactDOM.render(React.createElement(ReactRedux.Provider, { store: manager.store as never }, React.createElement(Flex.ThemeProvider, null, view)), root, () =>
    root.setAttribute('data-ready', 'true'),
  );
}

/** One of Flex's components inside its task's context, as Flex renders it. */
export function inTask(task: Flex.ITask, component: unknown, props: Record<string, unknown> = {}): React.ReactElement {
  const channelDefinition = Flex.TaskChannels.getForTask(task);
  return React.createElement(
    Flex.TaskContext.Provider,
    { value: { task, channelDefinition } as never },
    React.createElement(component as React.ComponentType<Record<string, unknown>>, props),
  );
}
