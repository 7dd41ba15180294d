import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { render, screen, within } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager, withFlex } from './support/flex';

const KIOSK_ICON = '<svg viewBox="0 0 24 24"><path d="M4 4h16v16H4z" fill="currentColor"/></svg>';
const THEMES = { light: true, dark: false };
type ThemeName = keyof typeof THEMES;
type Tokens = Record<string, Record<string, string>>;

let manager: Flex.Manager;

beforeAll(async () => {
  manager = await createFlexManager({
    custom_data: {
      customChannels: {
        chatapp: { maxMessageLength: 1000 },
        kiosk: {
          displayName: 'Store kiosk',
          color: '#C2410C',
          icon: KIOSK_ICON,
          profile: [
            { label: 'Store', value: 'Store {{ task.attributes.store.number }}' },
            { label: 'Note', value: '<b>{{task.attributes.note}}</b>' },
            { label: 'Missing', value: '{{task.attributes.nothing}}' },
          ],
        },
      },
    },
  });
  new CustomChannelsPlugin().init(Flex, manager);
});

/** Renders Flex's real TaskInfoPanel for the task in the given Flex theme, and reads the theme's tokens. */
function renderInfoPanel(task: Flex.ITask, theme: ThemeName) {
  manager.updateConfig({ theme: { isLight: THEMES[theme] } });
  const seen: { tokens?: Tokens } = {};
  const ReadTheme = Flex.withTheme(({ theme }: { theme: { tokens: Tokens } }) => {
    seen.tokens = theme.tokens;
    return null;
  });
  const { unmount } = render(
    withFlex(
      manager,
      task,
      <>
        <ReadTheme />
        <Flex.TaskInfoPanel task={task} />
      </>,
    ),
  );
  return { tokens: seen.tokens!, unmount };
}

const fieldsOf = (panel: HTMLElement) =>
  within(panel)
    .getAllByRole('term')
    .map((term) => [term.textContent, (term.nextElementSibling?.querySelector('[title]') ?? term.nextElementSibling)?.textContent]);

describe.each(Object.keys(THEMES) as ThemeName[])('in the %s theme', (theme) => {
  test('a ChatApp task shows its channel, its configured fields from the task and the channel limit', () => {
    renderInfoPanel(chatTask({ channelType: 'chatapp', from: 'Ada Lovelace', plan: 'Gold' }), theme);
    const panel = screen.getByRole('region', { name: 'ChatApp' });
    expect(within(panel).getByRole('heading', { name: 'ChatApp' })).toBeInTheDocument();
    expect(fieldsOf(panel)).toEqual([
      ['Customer', 'Ada Lovelace'],
      ['Plan', 'Gold'],
    ]);
    expect(panel).toHaveTextContent(`Text messages up to ${(1000).toLocaleString()} characters`);
    expect(panel).toHaveTextContent('Attachments up to 16 MB: image/*, application/pdf');
    expect(screen.getByText('Task context')).toBeInTheDocument();
  });

  test('a website chat task shows its own panel, with the default limit', () => {
    renderInfoPanel(chatTask({ channelType: 'web', customChannelType: 'webchat', name: 'Ada', conversationSid: 'CH1' }), theme);
    const panel = screen.getByRole('region', { name: 'Website chat' });
    expect(fieldsOf(panel)).toEqual([
      ['Visitor', 'Ada'],
      ['Conversation', 'CH1'],
    ]);
    expect(panel).toHaveTextContent(`Text messages up to ${(32768).toLocaleString()} characters`);
    expect(screen.queryByRole('region', { name: 'ChatApp' })).toBeNull();
  });

  test('a channel added at runtime shows values as text, never as markup', () => {
    renderInfoPanel(chatTask({ channelType: 'kiosk', store: { number: 7 }, note: '<img src=x onerror="alert(1)">' }), theme);
    const panel = screen.getByRole('region', { name: 'Store kiosk' });
    expect(fieldsOf(panel)).toEqual([
      ['Store', 'Store 7'],
      ['Note', '<b><img src=x onerror="alert(1)"></b>'],
      ['Missing', '—'],
    ]);
    expect(panel).toHaveTextContent('No attachments');
    expect(panel.querySelector('b, img:not([alt=""])')).toBeNull();
  });

  test('the panel takes its colors from the Flex theme, and its edge from the channel', () => {
    const { tokens } = renderInfoPanel(chatTask({ channelType: 'chatapp' }), theme);
    const style = getComputedStyle(screen.getByRole('region', { name: 'ChatApp' }));
    expect(tokens.textColors.colorText).toBeTruthy();
    expect(style.color).toBe(tokens.textColors.colorText);
    expect(style.backgroundColor).toBe(tokens.backgroundColors.colorBackgroundBody);
    expect(style.borderLeftColor).toBe('#7B3FE4');
  });

  test.each([
    ['web', chatTask({ channelType: 'web', from: 'Visitor' })],
    ['SMS', chatTask({ channelType: 'sms', from: '+15550100' })],
    ['WhatsApp', chatTask({ channelType: 'whatsapp', from: 'whatsapp:+15550100' })],
    ['voice', chatTask({ channelType: 'chatapp', from: '+15550100' }, 'accepted', 'voice')],
  ])("a %s task shows Flex's own panel only", (_, task) => {
    renderInfoPanel(task, theme);
    expect(screen.getByText('Task context')).toBeInTheDocument();
    expect(screen.queryByRole('region')).toBeNull();
  });
});

describe('a long value', () => {
  const sid = `CH${'0123456789abcdef'.repeat(2)}-${'x'.repeat(200)}`;
  const writeText = jest.fn<Promise<void>, [string]>(() => Promise.resolve());

  beforeEach(() => {
    writeText.mockClear();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });
  afterEach(() => {
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  test('is cut to one line inside the panel, shows whole on hover, and is copied whole', async () => {
    renderInfoPanel(chatTask({ channelType: 'web', customChannelType: 'webchat', name: 'Ada', conversationSid: sid }), 'light');
    const panel = screen.getByRole('region', { name: 'Website chat' });
    const value = within(panel).getByTitle(sid);
    expect(value).toHaveTextContent(sid);
    const style = getComputedStyle(value);
    expect([style.overflow, style.textOverflow, style.whiteSpace]).toEqual(['hidden', 'ellipsis', 'nowrap']);
    expect(getComputedStyle(value.closest('dl')!).gridTemplateColumns).toBe('max-content minmax(0, 1fr)');
    within(panel).getByRole('button', { name: 'Copy Conversation' }).click();
    expect(writeText).toHaveBeenCalledWith(sid);
    expect(await within(panel).findByRole('button', { name: 'Copy Conversation' })).toHaveTextContent('Copied');
  });

  test('has no copy button without the Clipboard API, nor for an empty value', () => {
    delete (navigator as { clipboard?: unknown }).clipboard;
    renderInfoPanel(chatTask({ channelType: 'web', customChannelType: 'webchat', name: 'Ada', conversationSid: sid }), 'light');
    const panel = screen.getByRole('region', { name: 'Website chat' });
    expect(within(panel).getByTitle(sid)).toBeInTheDocument();
    expect(within(panel).queryByRole('button')).toBeNull();
  });
});

test('the light and dark themes give the panel different colors', () => {
  const colors = (Object.keys(THEMES) as ThemeName[]).map((theme) => {
    const { unmount } = renderInfoPanel(chatTask({ channelType: 'chatapp' }), theme);
    const color = getComputedStyle(screen.getByRole('region', { name: 'ChatApp' })).backgroundColor;
    unmount();
    return color;
  });
  expect(colors[0]).not.toBe(colors[1]);
});
