import { cutAtCodePoint } from '@vigil/contracts';

/** Far more than any message of ours; what is longer quotes a client's value at length. */
export const MAX_CLIENT_TEXT = 512;

// C0/C1 controls and the bidirectional overrides and isolates ("Trojan Source"): an
// echoed value must not reorder or hide text in the terminal or log viewer showing it.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${cutAtCodePoint(text, max)}…`;
}

/**
 * Text for an error body that may quote client input (messages, paths): bounded and
 * with invisible or reordering characters spelled out.
 */
export function clientText(text: string, max = MAX_CLIENT_TEXT): string {
  return cut(cut(text, max).replace(UNSAFE, escape), max);
}
