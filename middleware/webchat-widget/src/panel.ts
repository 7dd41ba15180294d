import { MAX_NAME_LENGTH } from '../../src/webchat/protocol.js';
import { el, fieldError } from './dom.js';

/** The widget's elements, inside a shadow root so that the host page's styles do not leak in. */
export interface Panel {
  host: HTMLDivElement;
  launcher: HTMLButtonElement;
  panel: HTMLElement;
  status: HTMLParagraphElement;
  closeButton: HTMLButtonElement;
  nameForm: HTMLFormElement;
  nameInput: HTMLInputElement;
  nameError: HTMLParagraphElement;
  list: HTMLOListElement;
  composer: HTMLFormElement;
  input: HTMLTextAreaElement;
  textError: HTMLParagraphElement;
  attachButton: HTMLButtonElement;
  locationButton: HTMLButtonElement;
  fileInput: HTMLInputElement;
}

export function buildPanel(title: string, stylesheet: URL): Panel {
  const host = el('div');
  host.id = 'cc-webchat';
  const root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  const style = el('link');
  style.rel = 'stylesheet';
  style.href = stylesheet.href;
  root.appendChild(style);

  const launcher = button('cc-launcher', 'Chat', 'button');
  launcher.setAttribute('aria-label', title);
  const panel = el('section', 'cc-panel');
  panel.setAttribute('aria-label', title);
  panel.hidden = true;

  const header = el('header', 'cc-header');
  const status = el('p', 'cc-status');
  status.setAttribute('role', 'status');
  const closeButton = button('cc-close', '\u00d7', 'button');
  closeButton.setAttribute('aria-label', 'Close chat');
  header.append(el('h2', 'cc-title', title), closeButton);

  const nameForm = el('form', 'cc-name-form');
  const nameLabel = el('label', 'cc-label', 'Your name');
  const nameInput = el('input', 'cc-name-input');
  nameInput.name = 'name';
  nameInput.autocomplete = 'name';
  nameInput.maxLength = MAX_NAME_LENGTH;
  nameInput.required = true;
  nameLabel.appendChild(nameInput);
  const nameError = fieldError('cc-name-error');
  nameInput.setAttribute('aria-describedby', 'cc-name-error');
  nameForm.append(
    el('p', 'cc-intro', 'Hi! Tell us your name and an agent will be with you shortly.'),
    nameLabel,
    nameError,
    button('cc-button cc-name-submit', 'Start chat', 'submit'),
  );

  const list = el('ol', 'cc-messages');
  list.setAttribute('role', 'log');
  list.setAttribute('aria-live', 'polite');

  const composer = el('form', 'cc-composer');
  // No maxLength: the browser would cut a long paste silently; the length is checked instead.
  const input = el('textarea', 'cc-input');
  input.name = 'text';
  input.rows = 2;
  input.setAttribute('aria-label', 'Message');
  input.setAttribute('aria-describedby', 'cc-text-error');
  const textError = fieldError('cc-text-error');
  const attachButton = button('cc-button cc-attach', 'Attach', 'button');
  attachButton.setAttribute('aria-label', 'Attach a file');
  attachButton.hidden = true;
  const locationButton = button('cc-button cc-location', 'Location', 'button');
  locationButton.setAttribute('aria-label', 'Share location');
  // Offered only where the browser can tell where the visitor is.
  locationButton.hidden = !('geolocation' in navigator);
  const fileInput = el('input', 'cc-file-input');
  fileInput.type = 'file';
  fileInput.hidden = true;
  composer.append(attachButton, locationButton, fileInput, input, button('cc-button cc-send', 'Send', 'submit'), textError);

  panel.append(header, status, nameForm, list, composer);
  root.append(launcher, panel);
  return {
    host,
    launcher,
    panel,
    status,
    closeButton,
    nameForm,
    nameInput,
    nameError,
    list,
    composer,
    input,
    textError,
    attachButton,
    locationButton,
    fileInput,
  };
}

function button(className: string, text: string, type: 'button' | 'submit'): HTMLButtonElement {
  const node = el('button', className, text);
  node.type = type;
  return node;
}
