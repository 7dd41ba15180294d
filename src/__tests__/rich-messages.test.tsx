import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager, withFlex } from './support/flex';

const MIDDLEWARE = 'https://middleware.example.com';
const CONVERSATION = 'CH00000000000000000000000000000001';
const TEMPLATE = {
  sid: 'HX00000000000000000000000000000001',
  friendlyName: 'Pick a topic',
  variables: { 1: 'there' },
  textTemplate: 'Hi {{1}}, pick a topic\n1. Billing\n2. Delivery',
};
let manager: Flex.Manager;

beforeAll(async () => {
  manager = await createFlexManager({
    custom_data: { customChannelsMiddlewareUrl: `${MIDDLEWARE}/`, customChannels: { chatapp: { contentTemplates: ['Pick a topic'] } } },
  });
  // Flex's manager reads the user from the session it logged in with; the test's has none.
  Object.defineProperty(manager, 'user', { get: () => ({ token: 'flex-token-of-alice' }) });
  new CustomChannelsPlugin().init(Flex, manager);
});

afterEach(() => jest.restoreAllMocks());

/** Flex's real message input actions for a conversation whose task is of `channelType`. */
function renderInputActions(channelType: string) {
  const task = chatTask({ channelType, customChannelType: channelType, conversationSid: CONVERSATION });
  jest.spyOn(Flex.TaskHelper, 'getTaskFromConversationSid').mockReturnValue(task);
  const props = { conversationSid: CONVERSATION, sendMessage: () => undefined, sendDisabled: false, disabledReason: '', hideSendButton: false };
  const InputActions = Flex.MessageInputActions as unknown as React.ComponentType<typeof props>;
  return render(withFlex(manager, task, <InputActions {...props} />));
}

/** The middleware's agent routes, answering as they do. */
function middleware() {
  const calls: Array<{ url: string; method: string; headers: Record<string, string>; body?: unknown }> = [];
  global.fetch = jest.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    const body = init.method === 'POST' ? { messageSid: 'IM1' } : { templates: [TEMPLATE] };
    return { ok: true, status: init.method === 'POST' ? 201 : 200, json: async () => body } as Response;
  }) as unknown as typeof fetch;
  return calls;
}

test("a channel offering templates gets the control: the agent picks one, fills its variable, sees the preview, sends it with the agent's token", async () => {
  const calls = middleware();
  renderInputActions('chatapp');
  fireEvent.click(screen.getByRole('button', { name: 'Rich message to ChatApp' }));
  const select = await screen.findByRole('combobox');
  expect(calls[0]).toMatchObject({
    url: `${MIDDLEWARE}/agent/content/templates?channelType=chatapp`,
    headers: { authorization: 'Bearer flex-token-of-alice' },
  });
  fireEvent.change(select, { target: { value: TEMPLATE.sid } });
  expect(screen.getByTestId('custom-channels-rich-preview')).toHaveTextContent('Hi there, pick a topic');
  fireEvent.change(screen.getByRole('textbox', { name: 'Variable 1' }), { target: { value: 'Ann' } });
  expect(screen.getByTestId('custom-channels-rich-preview')).toHaveTextContent('Hi Ann, pick a topic 1. Billing 2. Delivery');
  fireEvent.click(screen.getByRole('button', { name: 'Send rich message' }));
  await waitFor(() => expect(calls).toHaveLength(2));
  expect(calls[1]).toMatchObject({
    url: `${MIDDLEWARE}/agent/content/messages`,
    method: 'POST',
    body: { conversationSid: CONVERSATION, contentSid: TEMPLATE.sid, variables: { 1: 'Ann' } },
  });
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
});

test('a refusal by the middleware is shown, not swallowed', async () => {
  global.fetch = jest.fn(
    async () => ({ ok: false, status: 503, json: async () => ({ error: { message: 'agent authentication is unavailable' } }) }) as Response,
  ) as unknown as typeof fetch;
  renderInputActions('chatapp');
  fireEvent.click(screen.getByRole('button', { name: 'Rich message to ChatApp' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('Templates not available: agent authentication is unavailable');
});

test('a channel that offers no templates gets no control', () => {
  renderInputActions('telegram');
  expect(screen.queryByRole('button', { name: /Rich message/ })).toBeNull();
});

const BOT_MESSAGE_SID = 'IM00000000000000000000000000000001';

/** A message as Flex's message list holds it: the Conversations SDK's message under `source`. */
function messageState(source: Record<string, unknown>, isFromMe = false) {
  return {
    isFromMe,
    groupWithNext: false,
    groupWithPrevious: false,
    index: 0,
    source: {
      sid: BOT_MESSAGE_SID,
      index: 0,
      author: 'bot',
      body: '',
      contentSid: null,
      attributes: {},
      type: 'text',
      timestamp: new Date('2026-01-01T10:00:00Z'),
      conversation: { sid: CONVERSATION, status: 'joined' },
      ...source,
    },
  };
}

/** Flex's real message bubble for a message of a conversation whose task is of `channelType`. */
function renderBubble(channelType: string, source: Record<string, unknown>) {
  const task = chatTask({ channelType, customChannelType: channelType, conversationSid: CONVERSATION });
  jest.spyOn(Flex.TaskHelper, 'getTaskFromConversationSid').mockReturnValue(task);
  const author = { friendlyName: String(source.author ?? 'bot') };
  const Bubble = Flex.MessageBubble as unknown as React.ComponentType<Record<string, unknown>>;
  return render(
    withFlex(manager, task, <Bubble conversationSid={CONVERSATION} message={messageState(source)} participant={author} member={author} inFocus={false} />),
  );
}

/** The middleware's render route: answers `content` for known templates, 404 for the others. */
function renderRoute(contents: Record<string, unknown>) {
  const calls: Array<{ url: string; headers: Record<string, string>; body: { contentSid: string; variables: Record<string, string> } }> = [];
  global.fetch = jest.fn(async (url: string, init: RequestInit = {}) => {
    const body = JSON.parse(String(init.body)) as { contentSid: string; variables: Record<string, string> };
    calls.push({ url, headers: init.headers as Record<string, string>, body });
    const content = contents[body.contentSid];
    return (
      content
        ? { ok: true, status: 200, json: async () => ({ friendlyName: 'x', content }) }
        : {
            ok: false,
            status: 404,
            json: async () => ({ error: { code: 'unknown_template', message: 'the Content template does not exist (it may have been deleted)' } }),
          }
    ) as Response;
  }) as unknown as typeof fetch;
  return calls;
}

const QUICK_REPLY_SID = 'HX00000000000000000000000000000002';
const CARD_SID = 'HX00000000000000000000000000000003';
const LOCATION_SID = 'HX00000000000000000000000000000004';

test("a bot's rich message shows in Flex's message bubble as a card with its options, filled with the message's variables, rendered once", async () => {
  const calls = renderRoute({
    [QUICK_REPLY_SID]: {
      type: 'quick-reply',
      body: 'Hi Ann, pick a topic',
      options: [
        { id: 'billing', title: 'Billing' },
        { id: 'delivery', title: 'Delivery' },
      ],
    },
  });
  const source = { contentSid: QUICK_REPLY_SID, attributes: { contentVariables: { 1: 'Ann' } } };
  const first = renderBubble('chatapp', source);
  const card = await screen.findByRole('group', { name: 'Quick reply message' });
  expect(card).toHaveTextContent('Hi Ann, pick a topic');
  expect(
    within(within(card).getByRole('list', { name: 'Quick replies' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent),
  ).toEqual(['Billing', 'Delivery']);
  expect(calls).toEqual([
    {
      url: `${MIDDLEWARE}/agent/content/render`,
      headers: expect.objectContaining({ authorization: 'Bearer flex-token-of-alice' }),
      body: { contentSid: QUICK_REPLY_SID, variables: { 1: 'Ann' } },
    },
  ]);
  first.unmount();
  renderBubble('chatapp', { ...source, attributes: JSON.stringify({ contentVariables: JSON.stringify({ 1: 'Ann' }) }) });
  await screen.findByRole('group', { name: 'Quick reply message' });
  expect(calls).toHaveLength(1);
});

test("a card's buttons and links, and a place as a map link; a link to anything but a web page or a phone is shown as text", async () => {
  renderRoute({
    [CARD_SID]: {
      type: 'card',
      title: 'Choose a slot',
      subtitle: 'Tomorrow',
      options: [{ id: 'am', title: 'Morning' }],
      links: [
        { kind: 'url', title: 'All slots', target: 'https://shop.example/slots' },
        { kind: 'phone', title: 'Call us', target: '+15005550006' },
        { kind: 'url', title: 'Odd', target: 'javascript:alert(1)' },
      ],
    },
    [LOCATION_SID]: { type: 'location', latitude: 52.52, longitude: 13.405, label: 'Our shop' },
  });
  const card = renderBubble('chatapp', { contentSid: CARD_SID });
  const shown = await screen.findByRole('group', { name: 'Card message' });
  expect(within(shown).getByText('Choose a slot')).toBeInTheDocument();
  expect(within(shown).getByRole('list', { name: 'Card buttons' })).toHaveTextContent('Morning');
  expect(within(shown).getByRole('link', { name: 'All slots' })).toHaveAttribute('href', 'https://shop.example/slots');
  expect(within(shown).getByRole('link', { name: 'Call us (+15005550006)' })).toHaveAttribute('href', 'tel:+15005550006');
  expect(within(shown).queryByRole('link', { name: /Odd/ })).toBeNull();
  expect(within(shown).getByText('Odd: javascript:alert(1)')).toBeInTheDocument();
  card.unmount();

  renderBubble('chatapp', { contentSid: LOCATION_SID });
  const place = await screen.findByRole('group', { name: 'Location message' });
  expect(place).toHaveTextContent('Our shop');
  expect(within(place).getByRole('link', { name: 'Map (52.52, 13.405)' })).toHaveAttribute('href', expect.stringContaining('mlat=52.52&mlon=13.405'));
});

test('a template the middleware cannot render says why in the bubble, and is asked again next time', async () => {
  const calls = renderRoute({});
  const source = { contentSid: 'HX00000000000000000000000000000009' };
  const first = renderBubble('chatapp', source);
  expect(await screen.findByRole('alert')).toHaveTextContent('Rich message not shown: the Content template does not exist (it may have been deleted)');
  first.unmount();
  renderBubble('chatapp', source);
  await screen.findByRole('alert');
  expect(calls).toHaveLength(2);
});

test("a customer's tap shows as a selection chip in place of the text; plain messages and other channels' messages are Flex's own", async () => {
  const calls = renderRoute({});
  const tap = { author: 'customer', body: 'Selected: Billing', attributes: { selection: { id: 'billing', title: 'Billing', source: 'button' } } };
  const chip = renderBubble('chatapp', tap);
  const selected = screen.getByLabelText('Selected: Billing');
  expect(selected).toHaveAttribute('title', 'Option id: billing');
  expect(selected).toHaveTextContent('SelectedBilling');
  expect(screen.queryByTestId('message-body')).toBeNull();
  chip.unmount();

  const plain = renderBubble('chatapp', { author: 'customer', body: 'Selected: nothing, just typing' });
  expect(screen.getByTestId('message-body')).toHaveTextContent('Selected: nothing, just typing');
  expect(screen.queryByLabelText(/^Selected:/)).toBeNull();
  plain.unmount();

  renderBubble('web', { ...tap, contentSid: QUICK_REPLY_SID });
  expect(screen.getByTestId('message-body')).toHaveTextContent('Selected: Billing');
  expect(screen.queryByLabelText('Selected: Billing')).toBeNull();
  expect(document.querySelector('.CustomChannels-RichMessageCard')).toBeNull();
  expect(calls).toHaveLength(0);
});
