/** Instagram takes a text of at most 1,000 bytes of UTF-8 (Instagram Messaging, "Send a Message"). */
const TEXT_BYTES_MAX = 1000;

/** The longest start of `text` within `maxBytes` of UTF-8, whole characters only. */
function headWithin(text: string, maxBytes: number): string {
  let bytes = 0;
  let head = '';
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    head += char;
  }
  return head;
}

/**
 * A text as the messages Instagram takes, in order: a longer one is sent in parts of at most
 * 1,000 bytes each, cut at the last line break or space that fits (which the cut replaces),
 * else between two characters; nothing of the text is lost.
 */
export function instagramTextParts(text: string, maxBytes = TEXT_BYTES_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > maxBytes) {
    const head = headWithin(rest, maxBytes);
    const gap = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    if (gap > 0) {
      parts.push(head.slice(0, gap));
      rest = rest.slice(gap + 1);
    } else {
      parts.push(head);
      rest = rest.slice(head.length);
    }
  }
  return rest.trim() || parts.length === 0 ? [...parts, rest] : parts;
}
