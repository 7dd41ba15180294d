/** An element with its class and text (always text, never markup). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The line under a field saying why it is refused; hidden while there is nothing to say. */
export function fieldError(id: string): HTMLParagraphElement {
  const node = el('p', 'cc-field-error');
  node.id = id;
  node.setAttribute('role', 'alert');
  node.hidden = true;
  return node;
}

/** Shows why a field is refused, or clears it when `message` is empty. */
export function setFieldError(field: HTMLElement, node: HTMLElement, message: string): void {
  node.textContent = message;
  node.hidden = !message;
  if (message) field.setAttribute('aria-invalid', 'true');
  else field.removeAttribute('aria-invalid');
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** A time in the visitor's locale and time zone. */
export function timeOf(at: number): HTMLTimeElement {
  const node = el('time', 'cc-time', timeFormat.format(new Date(at)));
  node.dateTime = new Date(at).toISOString();
  return node;
}
