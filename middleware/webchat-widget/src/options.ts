/** What the page's script tag asks for (its data- attributes), and where the widget was loaded from. */
export interface WidgetOptions {
  /** The web chat's folder on the middleware: uploads and the stylesheet are found from it. */
  base: URL;
  channel: string;
  title: string;
  startOpen: boolean;
  socketUrl: URL;
  /** Where this channel's visitor is remembered in localStorage (per middleware and channel). */
  storageKey: string;
}

export function optionsOf(script: HTMLScriptElement): WidgetOptions {
  const base = new URL('.', script.src);
  const channel = script.getAttribute('data-channel') || 'webchat';
  const socketUrl = new URL('ws', base);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    base,
    channel,
    title: script.getAttribute('data-title') || 'Chat with us',
    startOpen: script.getAttribute('data-open') === 'true',
    socketUrl,
    storageKey: `cc-webchat:${base.origin}:${channel}`,
  };
}
