import { mapLink, type RichContent } from '../../src/rich/rich-content.js';
import { el } from './dom.js';

/** An option the visitor tapped. */
export type Select = (option: { id: string; title: string }) => void;

function link(title: string, href: string): HTMLAnchorElement {
  const a = el('a', 'cc-rich-link', title);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener';
  return a;
}

function buttons(options: Array<{ id: string; title: string; description?: string }>, select: Select, answered: boolean): HTMLDivElement {
  const box = el('div', 'cc-rich-options');
  for (const option of options) {
    const button = el('button', 'cc-rich-option', option.title);
    button.type = 'button';
    button.setAttribute('data-option-id', option.id);
    if (option.description) button.title = option.description;
    button.disabled = answered;
    button.addEventListener('click', () => select({ id: option.id, title: option.title }));
    box.appendChild(button);
  }
  return box;
}

/**
 * An agent's rich message as the widget shows it: the text, then its buttons (a quick reply or a
 * list), a card with its picture, links, or a place with a map link. `answered`: an option was
 * picked since, so the buttons no longer take a tap. Texts are text, never markup.
 */
export function richView(rich: RichContent, select: Select, answered: boolean): HTMLDivElement {
  const view = el('div', `cc-rich cc-rich-${rich.type}`);
  view.setAttribute('data-rich', rich.type);
  switch (rich.type) {
    case 'text':
      view.appendChild(el('p', 'cc-text', rich.body));
      break;
    case 'media':
      if (rich.body) view.appendChild(el('p', 'cc-text', rich.body));
      for (const url of rich.media) view.appendChild(link(url, url));
      break;
    case 'quick-reply':
      view.append(el('p', 'cc-text', rich.body), buttons(rich.options, select, answered));
      break;
    case 'list-picker':
      view.append(el('p', 'cc-text', rich.body), el('p', 'cc-rich-caption', rich.button), buttons(rich.options, select, answered));
      break;
    case 'call-to-action':
      view.appendChild(el('p', 'cc-text', rich.body));
      for (const l of rich.links) view.appendChild(link(l.title, l.kind === 'phone' ? `tel:${l.target}` : l.target));
      break;
    case 'card': {
      if (rich.media) {
        const image = el('img', 'cc-rich-image');
        image.src = rich.media;
        image.alt = rich.title;
        view.appendChild(image);
      }
      view.appendChild(el('p', 'cc-rich-title', rich.title));
      if (rich.subtitle) view.appendChild(el('p', 'cc-text', rich.subtitle));
      if (rich.options.length) view.appendChild(buttons(rich.options, select, answered));
      for (const l of rich.links) view.appendChild(link(l.title, l.kind === 'phone' ? `tel:${l.target}` : l.target));
      break;
    }
    case 'location':
      if (rich.label) view.appendChild(el('p', 'cc-rich-title', rich.label));
      if (rich.address) view.appendChild(el('p', 'cc-text', rich.address));
      view.appendChild(link('Open the map', mapLink(rich.latitude, rich.longitude)));
      break;
  }
  return view;
}
