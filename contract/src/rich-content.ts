/**
 * A Content API template filled with its variables, in the one shape the middleware renders for
 * every channel and the plugin draws for the agent: the template's richest type the kit knows,
 * its texts with `{{name}}` replaced.
 */

/** A button the customer taps to answer: its `id` comes back with the selection. */
export interface RichOption {
  id: string;
  title: string;
  description?: string;
}

/** A button that leaves the chat: a web page or a phone call. */
export interface RichLink {
  kind: 'url' | 'phone';
  title: string;
  /** The URL, or the phone number in E.164. */
  target: string;
}

export type RichContent =
  | { type: 'text'; body: string }
  | { type: 'media'; body?: string; media: string[] }
  | { type: 'quick-reply'; body: string; options: RichOption[] }
  | { type: 'list-picker'; body: string; button: string; options: RichOption[] }
  | { type: 'call-to-action'; body: string; links: RichLink[] }
  | { type: 'card'; title: string; subtitle?: string; media?: string; options: RichOption[]; links: RichLink[] }
  | { type: 'location'; latitude: number; longitude: number; label?: string; address?: string };
