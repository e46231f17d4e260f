/**
 * The first `max` UTF-16 units of `text`, one fewer if the cut would split a surrogate
 * pair: a lone half is not valid Unicode, and Avro, JSON encoders and OpenSearch each
 * treat it differently.
 */
export function cutAtCodePoint(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
