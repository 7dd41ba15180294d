import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager, withFlex } from './support/flex';

const KIOSK_ICON = '<svg viewBox="0 0 24 24"><path d="M4 4h16v16H4z" fill="currentColor"/></svg>';
let manager: Flex.Manager;

beforeAll(async () => {
  manager = await createFlexManager({
    custom_data: {
      customChannels: {
        chatapp: { media: { accept: ['image/*', 'application/pdf'], maxBytes: 1000 } },
        kiosk: { displayName: 'Store kiosk', color: '#C2410C', icon: KIOSK_ICON },
      },
    },
  });
  new CustomChannelsPlugin().init(Flex, manager);
});

afterEach(() => jest.restoreAllMocks());

/** Flex's real message input actions for a conversation whose task is of `channelType`. */
function renderInputActions(channelType: string) {
  const task = chatTask({ channelType, customChannelType: channelType, conversationSid: 'CH00000000000000000000000000000001' });
  jest.spyOn(Flex.TaskHelper, 'getTaskFromConversationSid').mockReturnValue(task);
  const props = {
    conversationSid: 'CH00000000000000000000000000000001',
    attachFileButtonAriaLabel: 'Attach',
    handleFileChange: () => undefined,
    sendMessage: () => undefined,
    attachFileDisabled: false,
    sendDisabled: false,
    disabledReason: '',
    matchSendMessagePayloadPredicate: () => true,
    hideSendButton: false,
  };
  const InputActions = Flex.MessageInputActions as unknown as React.ComponentType<typeof props>;
  return render(withFlex(manager, task, <InputActions {...props} />));
}

describe('attach button in Flex, per channel', () => {
  // What Flex's real SendMediaMessage action was invoked with; the action is aborted before it sends.
  let sent: unknown[] = [];
  const capture = (payload: unknown, abort: () => void) => {
    sent.push(payload);
    abort();
  };
  beforeEach(() => {
    sent = [];
    Flex.Actions.addListener('beforeSendMediaMessage', capture);
  });
  afterEach(() => Flex.Actions.removeListener('beforeSendMediaMessage', capture));

  test('a channel whose media allows attachments gets the button; the file goes through Flex SendMediaMessage', async () => {
    renderInputActions('chatapp');
    expect(screen.getByRole('button', { name: 'Attach a file for ChatApp' })).toBeInTheDocument();
    const file = new File(['%PDF-1.4'], 'invoice.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByTestId('custom-channels-attachment-input'), { target: { files: [file] } });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ conversationSid: 'CH00000000000000000000000000000001', file });
  });

  test('a type or size the channel does not take is refused in words and not sent', async () => {
    renderInputActions('chatapp');
    const input = screen.getByTestId('custom-channels-attachment-input');
    fireEvent.change(input, { target: { files: [new File(['x'], 'logs.zip', { type: 'application/zip' })] } });
    expect(screen.getByRole('alert')).toHaveTextContent('Not sent: logs.zip is application/zip, and ChatApp takes only image/*, application/pdf.');
    fireEvent.change(input, { target: { files: [new File(['x'.repeat(1001)], 'big.png', { type: 'image/png' })] } });
    expect(screen.getByRole('alert')).toHaveTextContent('Not sent: big.png is larger than');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(0);
  });

  test('a text-only channel gets no attach button', () => {
    renderInputActions('kiosk');
    expect(screen.queryByRole('button', { name: /Attach a file/ })).toBeNull();
    expect(screen.queryByTestId('custom-channels-attachment-input')).toBeNull();
  });
});
