import { isIP } from 'node:net';
import { accept, checkText, reject, type Check } from './fields.ts';
import { field } from './shape.ts';
import { jsonTypeOf } from './value-type.ts';

/** IPv4 or IPv6 (lower-cased, so the same IPv6 address always dedups the same way). */
export function checkIp(value: unknown): Check<string | null> {
  const text = checkText(value, 64);
  if (!text.ok) return typeof value === 'string' ? reject('must be an IPv4 or IPv6 address') : text;
  if (text.value === null) return text;
  return isIP(text.value) === 0 ? reject(`must be an IPv4 or IPv6 address (got ${JSON.stringify(text.value)})`) : accept(text.value.toLowerCase());
}

/** Port numbers; decimal strings are accepted because Wazuh decoders emit every field as text. */
export function checkPort(value: unknown): Check<number | null> {
  if (value === undefined || value === null) return accept(null);
  const port = typeof value === 'string' && /^\s*\d{1,5}\s*$/.test(value) ? Number(value) : value;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) return accept(port);
  const got = typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value) : jsonTypeOf(value);
  return reject(`must be an integer from 0 to 65535 (got ${got})`);
}

export const ip = () => field(checkIp);
/** An address field some sensors fill with a host name instead (Wazuh's data.srcip with sshd UseDNS, AWS): not an address, so null. */
/**
 * Windows event data writes "-" (or "::1", a local name) where there is no remote peer: any
 * value that is not an address or a port is no address or port there.
 */
export const ipIfAny = () => field((value: unknown) => {
  const checked = checkIp(value);
  return checked.ok ? checked : accept(null);
});
export const portIfAny = () => field((value: unknown) => {
  const checked = checkPort(value);
  return checked.ok ? checked : accept(null);
});

export const ipOrNothing = () => field((value: unknown) => {
  const checked = checkIp(value);
  // A host name has a letter; a mangled address ("203.0.113") is still refused.
  return !checked.ok && typeof value === 'string' && /^(?=.*[a-z])[a-z0-9.-]+$/i.test(value.trim()) ? accept(null) : checked;
});
export const port = () => field(checkPort);
