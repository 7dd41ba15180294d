/*
 * Custom channels web chat widget. Embed with one tag:
 *   <script src="https://middleware.example.com/webchat/widget.js" data-channel="webchat" defer></script>
 * Options (data- attributes on the script tag): data-channel (default "webchat"),
 * data-title (default "Chat with us"), data-open="true" (start with the panel open).
 *
 * No dependencies, nothing fetched but this script's own origin. All text from the visitor or
 * the agent is rendered with textContent, never as HTML. The protocol is described in
 * middleware/src/webchat/README.md. Bundled by esbuild (see src/webchat/widget-script.ts).
 */
import { optionsOf } from './options.js';
import { startWidget } from './widget.js';

declare global {
  interface Window {
    /** Set by the first copy of the widget on a page: a second script tag adds nothing. */
    __ccWebchatLoaded?: boolean;
  }
}

const script =
  document.currentScript instanceof HTMLScriptElement ? document.currentScript : document.querySelector<HTMLScriptElement>('script[src*="/webchat/widget.js"]');
if (script && !window.__ccWebchatLoaded) {
  window.__ccWebchatLoaded = true;
  startWidget(optionsOf(script));
}
