/**
 * The bytes a value is encoded from before Base64: UTF-8 unless a `utf16le`/`wide`,
 * `utf16be` or `utf16` modifier says otherwise (PowerShell's `-EncodedCommand` is
 * Base64 of UTF-16LE, the reason those modifiers exist).
 */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf16';

/** A byte order mark before little-endian text, as the specification's `utf16` example shows (`FF FE`). */
const BOM_LE = Buffer.from([0xff, 0xfe]);

export function encodeText(value: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(value, 'utf8');
    case 'utf16le':
      return Buffer.from(value, 'utf16le');
    case 'utf16be':
      // Node has no big-endian codec: swap each code unit's two bytes.
      return Buffer.from(value, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([BOM_LE, Buffer.from(value, 'utf16le')]);
  }
}

/** `base64`: the value's bytes, standard alphabet, padded. */
export function base64Of(value: string, encoding: TextEncoding = 'utf8'): string {
  return encodeText(value, encoding).toString('base64');
}

// Characters to drop at the start for 0, 1, 2 unknown bytes before the value, and at the end
// for a total length of 0, 1, 2 bytes past a multiple of three: those characters also encode
// bits of the unknown neighbours (or padding), so they differ with the surrounding text.
const cutStart = [0, 2, 3] as const;
const cutEnd = [0, 3, 2] as const;

/**
 * `base64offset`: the parts of the encoding that stay the same whatever sits around the value,
 * one per alignment of the value in the encoded text (its byte offset modulo 3).
 */
export function base64OffsetVariants(value: string, encoding: TextEncoding = 'utf8'): string[] {
  const bytes = encodeText(value, encoding);
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const end = cutEnd[(offset + bytes.length) % 3] as number;
    return encoded.slice(cutStart[offset], encoded.length - end);
  });
}
