/**
 * The preview page, bundled for the browser: the real Flex UI on a real Flex store, the built
 * plugin loaded through Flex's own plugin manager, and Flex's components rendered for an
 * example task of each configured channel.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import ReactDOM from 'react-dom';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';
import { exampleTasks, type ExampleTask } from './example-tasks.js';

const PLUGIN_UUID = 'flex-preview-plugin';
const h = React.createElement;

interface PluginManager {
  setup(flex: unknown, manager: unknown): void;
  storePluginDefinition(plugins: unknown[]): void;
  areAllPluginsInitialized: boolean;
}

async function createFlexManager(): Promise<Flex.Manager> {
  const store = Redux.createStore(
    Redux.combineReducers({ flex: Flex.FlexReducer as Redux.Reducer }),
    Redux.compose(Redux.applyMiddleware(), Flex.flexStoreEnhancer as Redux.StoreEnhancer),
  );
  const ManagerClass = Flex.Manager as unknown as new (config: unknown, store: unknown) => Flex.Manager;
  const manager = new ManagerClass({ theme: { isLight: true } }, store);
  await (manager as unknown as { loadInitialData(): Promise<void> }).loadInitialData();
  return manager;
}

/** Loads the built plugin as Flex does: a script whose uuid Flex's plugin manager knows. */
async function loadPlugin(manager: Flex.Manager, pluginUrl: string): Promise<void> {
  const plugins = (Flex as unknown as { Plugins: PluginManager }).Plugins;
  plugins.setup(Flex, manager);
  plugins.storePluginDefinition([{ uuid: PLUGIN_UUID, name: 'plugin-custom-channels', version: '0.1.0', phase: 0, state: 'NotStarted' }]);
  const script = document.createElement('script');
  script.setAttribute('uuid', PLUGIN_UUID);
  script.textContent = await (await fetch(pluginUrl)).text();
  document.body.appendChild(script);
  while (!plugins.areAllPluginsInitialized) await new Promise((done) => setTimeout(done, 10));
}

function inTask(example: ExampleTask, child: React.ReactElement): React.ReactElement {
  const channelDefinition = Flex.TaskChannels.getForTask(example.task);
  return h(Flex.TaskContext.Provider, { value: { task: example.task, channelDefinition } as never }, child);
}

/** One of Flex's components per example task, each inside its task's context, as Flex renders them. */
function perTask(examples: ExampleTask[], classes: { section: string; item: string }, component: unknown): React.ReactElement {
  return h(
    'section',
    { className: classes.section },
    examples.map((example) =>
      h(
        'div',
        { key: example.channelType, className: classes.item, 'data-channel': example.channelType },
        inTask(example, h(component as React.ComponentType)),
      ),
    ),
  );
}

function TaskList({ examples }: { examples: ExampleTask[] }): React.ReactElement {
  return perTask(examples, { section: 'preview-task-list', item: 'preview-task' }, Flex.TaskListItem);
}

function TaskCanvases({ examples }: { examples: ExampleTask[] }): React.ReactElement {
  return perTask(examples, { section: 'preview-task-canvases', item: 'preview-task-canvas' }, Flex.TaskCanvasTabs);
}

async function main(): Promise<void> {
  Object.assign(window, { React, ReactDOM, Redux, ReactRedux, Twilio: { Flex } });
  const manager = await createFlexManager();
  await loadPlugin(manager, './plugin-custom-channels.js');
  // The list shows an incoming task first, as agents see one arrive; the canvases show live chats.
  const listed = exampleTasks((index) => (index === 0 ? 'pending' : 'accepted'));
  const accepted = exampleTasks(() => 'accepted');
  const root = document.getElementById('preview') as HTMLElement;
  ReactDOM.render(
    h(
      ReactRedux.Provider,
      { store: manager.store as never },
      h(Flex.ThemeProvider, null, h(TaskList, { examples: listed }), h(TaskCanvases, { examples: accepted })),
    ),
    root,
    () => root.setAttribute('data-ready', 'true'),
  );
}

main().catch((error: unknown) => {
  document.body.setAttribute('data-error', String(error));
});
