/** `base64`: the value's UTF-8 bytes, standard alphabet, padded. */
export function base64Of(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
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
export function base64OffsetVariants(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const end = cutEnd[(offset + bytes.length) % 3] as number;
    return encoded.slice(cutStart[offset], encoded.length - end);
  });
}
