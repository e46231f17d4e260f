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

/** A check whose refusal means "none here" when `absent(value)` says so (all refusals by default). */
const noneWhen = <T>(check: (value: unknown) => Check<T | null>, absent: (value: unknown) => boolean = () => true) =>
  field((value: unknown) => {
    const checked = check(value);
    return !checked.ok && absent(value) ? accept(null) : checked;
  });

/**
 * Windows event data writes "-" (or a local name) where there is no remote peer: any value
 * that is not an address or a port is no address or port there.
 */
export const ipIfAny = () => noneWhen(checkIp);
export const portIfAny = () => noneWhen(checkPort);

/**
 * An address field some sensors fill with a host name instead (Wazuh's data.srcip with sshd
 * UseDNS, AWS): not an address, so null. A host name has a letter; a mangled address
 * ("203.0.113") is still refused.
 */
export const ipOrNothing = () => noneWhen(checkIp, (value) => typeof value === 'string' && /^(?=.*[a-z])[a-z0-9.-]+$/i.test(value.trim()));
export const port = () => field(checkPort);
