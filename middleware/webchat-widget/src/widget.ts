import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH, PROTOCOL_VERSION, type HelloFrame, type MessageFrame, type ServerFrame } from '../../src/webchat/protocol.js';
import { locationReply, selectionReply } from '../../src/rich/customer-replies.js';
import { fileProblem, uploadFile, type MediaRules } from './attachments.js';
import { Connection, type ConnectionState } from './connection.js';
import { setFieldError } from './dom.js';
import type { WidgetOptions } from './options.js';
import { buildPanel } from './panel.js';
import { drawMessages, latestAgentMessageOnScreen } from './message-list.js';
import type { Upload } from './rows.js';
import { loadPending, loadProfile, savePending, saveProfile, type PendingMessage } from './storage.js';
import { Transcript } from './transcript.js';

/** Starts the widget: draws the launcher and, for a returning visitor or an open panel, connects. */
export function startWidget(options: WidgetOptions): void {
  const view = buildPanel(options.title, new URL('widget.css', options.base));
  const { host, launcher, panel, status, list, composer, input, textError, nameForm, nameInput, nameError, attachButton, locationButton, fileInput } = view;

  const profile = loadProfile(options.storageKey);
  let pending = loadPending(options.storageKey);
  const transcript = new Transcript();
  /** Client message ids acknowledged, and those refused (with why). */
  const delivered = new Set<string>();
  const failed = new Map<string, string>();
  /** The channel's own limit once the welcome frame tells it. */
  let maxText = MAX_TEXT_LENGTH;
  /** What the channel takes as attachments; null: text only. */
  let mediaRules: MediaRules | null = null;
  const uploads: Upload[] = [];
  /** The latest agent message reported as read. */
  let readSentSeq = 0;
  let atBottom = true;
  let lastScrollTop = 0;

  const connection = new Connection(options.socketUrl, {
    hello: () => {
      const hello: HelloFrame = { type: 'hello', v: PROTOCOL_VERSION, channel: options.channel, after: transcript.lastSeq };
      if (profile.token) hello.token = profile.token;
      if (profile.epoch) hello.epoch = profile.epoch;
      return hello;
    },
    onFrame: handle,
    onState: setConnection,
  });

  function setConnection(state: ConnectionState, text: string): void {
    host.setAttribute('data-connection', state);
    status.setAttribute('data-connection', state);
    status.textContent = text;
  }

  function handle(frame: ServerFrame): void {
    if (frame.type === 'welcome') {
      if (frame.reset) {
        transcript.clear();
        readSentSeq = 0;
      }
      profile.token = frame.token;
      profile.visitorId = frame.visitorId;
      profile.epoch = frame.epoch;
      if (typeof frame.maxMessageLength === 'number') maxText = frame.maxMessageLength;
      mediaRules = frame.media || null;
      attachButton.hidden = !mediaRules;
      if (mediaRules) fileInput.accept = mediaRules.accept.join(',');
      saveProfile(options.storageKey, profile);
    } else if (frame.type === 'event') {
      transcript.add(frame.seq, frame.event);
      if (frame.event.kind === 'visitor-message') dropPending(frame.event.id);
      if (frame.event.kind !== 'visitor-message' && frame.event.kind !== 'read' && panel.hidden) launcher.classList.add('cc-unread');
      render();
    } else if (frame.type === 'synced') {
      setConnection('online', 'Connected');
      flushPending();
      render();
    } else if (frame.type === 'ack') {
      delivered.add(frame.id);
      dropPending(frame.id);
      render();
    } else if (frame.type === 'error') {
      onError(frame);
    }
  }

  function onError(frame: Extract<ServerFrame, { type: 'error' }>): void {
    if (!frame.id) {
      console.warn('web chat:', frame.code, frame.field || '', frame.message);
      return;
    }
    if (frame.code === 'rate_limited' || frame.code === 'not_accepted' || frame.code === 'internal_error') {
      setTimeout(flushPending, 2000);
    } else {
      failed.set(frame.id, frame.field ? `${frame.field.replace(/^\//, '')} ${frame.message}` : frame.message);
      render();
    }
  }

  function dropPending(id: string): void {
    const before = pending.length;
    pending = pending.filter((message) => message.id !== id);
    if (pending.length !== before) savePending(options.storageKey, pending);
  }

  function flushPending(): void {
    if (!connection.synced) return;
    for (const message of pending) if (!failed.has(message.id)) sendMessage(message);
  }

  /** A message frame; an attachment's preview (a local picture) is not sent. */
  function sendMessage({ id, name, text, media, selection, location }: PendingMessage): void {
    const frame: MessageFrame = { type: 'message', id, name };
    if (selection) frame.selection = selection;
    else if (location) frame.location = location;
    else if (text) frame.text = text;
    if (media) {
      frame.media = media.map(({ mediaSid, serviceSid, contentType, size, ticket, filename }) => ({
        mediaSid,
        serviceSid,
        contentType,
        size,
        ticket,
        ...(filename ? { filename } : {}),
      }));
    }
    connection.send(frame);
  }

  /** A tap on an option: sent as the visitor's message, shown as the middleware words it. */
  function select(option: { id: string; title: string }): void {
    if (!profile.name) return;
    queue({ id: newId(), text: selectionReply(option).text, name: profile.name, at: Date.now(), selection: option });
  }

  function queue(message: PendingMessage): void {
    pending.push(message);
    savePending(options.storageKey, pending);
    render();
    if (connection.synced) sendMessage(message);
  }

  // ---- the transcript on screen ----

  function render(): void {
    const ended = drawMessages(list, { transcript, pending, delivered, failed, uploads, select });
    input.placeholder = ended ? 'Send a message to start a new chat' : 'Type a message';
    host.setAttribute('data-last-seq', String(transcript.lastSeq));
    scrollToNewest();
    reportRead();
  }

  /** Tells the middleware the latest agent message on screen, when the chat is open and the page visible. */
  function reportRead(): void {
    if (panel.hidden || document.hidden || !connection.synced) return;
    const latest = latestAgentMessageOnScreen(list);
    if (latest && latest.seq > readSentSeq) {
      readSentSeq = latest.seq;
      connection.send({ type: 'read', upTo: latest.id });
    }
  }

  // Staying at the newest message: a picture that loads, or the panel that opens, moves it.
  function scrollToNewest(): void {
    list.scrollTop = list.scrollHeight;
    lastScrollTop = list.scrollTop;
  }

  list.addEventListener('scroll', reportRead);
  document.addEventListener('visibilitychange', reportRead);
  // Only the reader moves the list up: a picture that grows the list leaves scrollTop as it was.
  list.addEventListener('scroll', () => {
    if (list.scrollHeight - list.scrollTop - list.clientHeight < 2) atBottom = true;
    else if (list.scrollTop < lastScrollTop) atBottom = false;
    lastScrollTop = list.scrollTop;
  });
  // load does not bubble: listened to while it goes down to the picture.
  list.addEventListener('load', () => atBottom && scrollToNewest(), true);

  // ---- attachments ----

  function attach(files: FileList | null | undefined): void {
    const file = files?.[0];
    const name = profile.name;
    if (!file || !mediaRules || !name) return;
    const problem = fileProblem(file, mediaRules);
    setFieldError(input, textError, problem);
    if (problem) return;
    const upload: Upload = { name: file.name || 'file', size: file.size, loaded: 0, error: '' };
    uploads.push(upload);
    render();
    uploadFile({
      file,
      upload,
      url: new URL(`uploads?channel=${encodeURIComponent(options.channel)}&filename=${encodeURIComponent(upload.name)}`, options.base),
      token: profile.token ?? '',
      onProgress: render,
      onFailed: render,
      onUploaded: (uploaded) => {
        uploads.splice(uploads.indexOf(upload), 1);
        const preview = file.type.indexOf('image/') === 0 ? URL.createObjectURL(file) : undefined;
        queue({ id: newId(), text: '', name, at: Date.now(), media: [{ preview, ...uploaded }] });
      },
    });
  }

  // ---- location ----

  locationButton.addEventListener('click', () => {
    const name = profile.name;
    if (!name) return;
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        setFieldError(input, textError, '');
        const location = { latitude: coords.latitude, longitude: coords.longitude };
        queue({ id: newId(), text: locationReply(location).text, name, at: Date.now(), location });
      },
      (error) => {
        const denied = error.code === error.PERMISSION_DENIED;
        // Refused once, the browser refuses again without asking: the button goes.
        if (denied) locationButton.hidden = true;
        setFieldError(input, textError, denied ? 'Location not shared: this page may not know where you are.' : 'Your location could not be found. Try again.');
      },
      { timeout: 20_000 },
    );
  });

  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    attach(fileInput.files);
    fileInput.value = '';
  });
  input.addEventListener('paste', (event) => {
    const files = event.clipboardData?.files;
    if (files && files.length && mediaRules) {
      event.preventDefault();
      attach(files);
    }
  });
  panel.addEventListener('dragover', (event) => {
    if (mediaRules) event.preventDefault();
  });
  panel.addEventListener('drop', (event) => {
    if (!mediaRules) return;
    event.preventDefault();
    attach(event.dataTransfer?.files);
  });

  // ---- the visitor's actions ----

  /** Why the text cannot be sent, or '' when it can. */
  function textProblem(text: string): string {
    // Counted in code points, as the middleware does.
    const length = Array.from(text).length;
    if (length <= maxText) return '';
    return `This message is ${length.toLocaleString()} characters long; the limit is ${maxText.toLocaleString()}. Shorten it or send it in parts.`;
  }

  function showConversation(): void {
    const named = Boolean(profile.name);
    nameForm.hidden = named;
    list.hidden = !named;
    composer.hidden = !named;
  }

  function open(): void {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.classList.remove('cc-unread');
    showConversation();
    // A hidden list has no height: what arrived while the panel was closed is scrolled to now.
    if (atBottom) scrollToNewest();
    if (!connection.started) connection.connect();
    (profile.name ? input : nameInput).focus();
    reportRead();
  }

  launcher.addEventListener('click', open);
  view.closeButton.addEventListener('click', () => {
    panel.hidden = true;
    launcher.hidden = false;
  });

  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim().slice(0, MAX_NAME_LENGTH);
    setFieldError(nameInput, nameError, name ? '' : 'Please enter your name: spaces alone are not a name.');
    if (!name) return;
    profile.name = name;
    saveProfile(options.storageKey, profile);
    showConversation();
    input.focus();
  });

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    const problem = textProblem(text);
    setFieldError(input, textError, problem);
    if (!text.trim() || problem || !profile.name) return;
    input.value = '';
    queue({ id: newId(), text, name: profile.name, at: Date.now() });
  });

  nameInput.addEventListener('input', () => {
    if (nameInput.value.trim()) setFieldError(nameInput, nameError, '');
  });
  input.addEventListener('input', () => setFieldError(input, textError, textProblem(input.value)));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (typeof composer.requestSubmit === 'function') composer.requestSubmit();
      else composer.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });

  function mount(): void {
    document.body.appendChild(host);
    setConnection('idle', '');
    render();
    // A returning visitor with replies waiting, or messages not yet sent: connect now.
    if (options.startOpen) open();
    else if (profile.token || pending.length) connection.connect();
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
}

/** A random client message id: a resend with the same id is acknowledged, not posted twice. */
function newId(): string {
  const bytes = new Uint8Array(12);
  window.crypto.getRandomValues(bytes);
  return `m${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
