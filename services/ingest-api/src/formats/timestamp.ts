/**
 * Date.parse accepts far too much ("2024", "Jan 5", locale formats) and its behaviour on
 * non-ISO input is implementation-defined, so timestamps are parsed by hand.
 * `compactOffset` also allows `+0000` offsets, which Suricata and Wazuh write although
 * RFC 3339 requires `+00:00`.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2})(:?)(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch milliseconds (sub-millisecond digits truncated), or null when not a valid timestamp. */
export function parseTimestamp(text: string, options: { compactOffset: boolean }): number | null {
  const m = TIMESTAMP.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [fraction = '', sign, offsetHours = '0', colon, offsetMinutes = '0'] = m.slice(7);
  if (sign !== undefined && colon === '' && !options.compactOffset) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // Second 60 is a leap second: RFC 3339 allows it, and the Date setters roll it into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return null;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null;
  const offsetMinutesTotal = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  return utc.getTime() - offsetMinutesTotal * 60_000;
}
