/**
 * IP address parsing that allocates nothing, because a `cidr` rule parses the field of every
 * alert it sees. IPv4 comes back as a number (−1 when invalid), IPv6 is written into a
 * caller-owned array of eight 16-bit groups.
 */

const hexDigit = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
};

/** Dotted-quad IPv4 in `text[start, end)`; −1 if it is not one. */
export function parseIPv4(text: string, start = 0, end = text.length): number {
  let value = 0;
  let part = -1;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      part = (part < 0 ? 0 : part * 10) + code - 48;
      if (++digits > 3 || part > 255) return -1;
    } else if (code === 46 && part >= 0 && dots < 3) {
      value = value * 256 + part;
      dots++;
      part = -1;
      digits = 0;
    } else {
      return -1;
    }
  }
  return part < 0 || dots !== 3 ? -1 : value * 256 + part;
}

/** IPv6 (with `::` and an optional dotted-quad tail) into `out`; false if it is not one. */
export function parseIPv6(text: string, out: Uint16Array): boolean {
  const end = text.length;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (count >= 8) return false;
    let j = i;
    let group = 0;
    for (let digit = hexDigit(text.charCodeAt(j)); digit >= 0 && j - i < 4; digit = hexDigit(text.charCodeAt(++j))) group = group * 16 + digit;
    if (text.charCodeAt(j) === 46) {
      const v4 = parseIPv4(text, i, end);
      if (v4 < 0 || count > 6) return false;
      out[count++] = Math.floor(v4 / 65536);
      out[count++] = v4 % 65536;
      break;
    }
    if (j === i || hexDigit(text.charCodeAt(j)) >= 0) return false;
    out[count++] = group;
    if (j === end) break;
    if (text.charCodeAt(j) !== 58) return false;
    i = j + 1;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0) return count === 8;
  if (count === 8) return false;
  const moved = count - gap;
  for (let k = 1; k <= moved; k++) out[8 - k] = out[count - k] as number;
  out.fill(0, gap, 8 - moved);
  return true;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else −1. */
export function mappedIPv4(groups: Uint16Array): number {
  for (let k = 0; k < 5; k++) if (groups[k] !== 0) return -1;
  return groups[5] === 0xffff ? (groups[6] as number) * 65536 + (groups[7] as number) : -1;
}
