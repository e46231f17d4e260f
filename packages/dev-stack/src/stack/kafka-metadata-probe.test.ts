import { describe, expect, it } from 'vitest';
import { decodeMetadataResponse, encodeMetadataRequest } from './kafka-metadata-probe.ts';

function kafkaString(text: string | null): Buffer {
  if (text === null) return Buffer.from([0xff, 0xff]);
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

describe('kafka metadata probe wire format', () => {
  it('encodes a size-prefixed Metadata v4 request for all topics', () => {
    const frame = encodeMetadataRequest(7);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt16BE(4)).toBe(3); // api key: Metadata
    expect(frame.readInt16BE(6)).toBe(4); // api version
    expect(frame.readInt32BE(8)).toBe(7); // correlation id
    const clientIdLength = frame.readInt16BE(12);
    expect(frame.toString('utf8', 14, 14 + clientIdLength)).toBe('vigil-stack-probe');
    expect(frame.readInt32BE(14 + clientIdLength)).toBe(-1); // null topic array
    expect(frame.readInt8(18 + clientIdLength)).toBe(0); // no auto-creation
    expect(frame.length).toBe(19 + clientIdLength);
  });

  it('decodes brokers, cluster id and controller from a v4 response', () => {
    const response = Buffer.concat([
      int32(7), // correlation id
      int32(0), // throttle
      int32(1), // one broker
      int32(1),
      kafkaString('127.0.0.1'),
      int32(9092),
      kafkaString(null), // rack
      kafkaString('0ss_SsObGn0Wy5hJTYBjHQ'),
      int32(1), // controller
      int32(0), // no topics (ignored anyway)
    ]);
    expect(decodeMetadataResponse(response, 7)).toEqual({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
      clusterId: '0ss_SsObGn0Wy5hJTYBjHQ',
      controllerId: 1,
    });
  });

  it('rejects an answer to some other request', () => {
    const response = Buffer.concat([int32(8), int32(0), int32(0), kafkaString(null), int32(-1)]);
    expect(() => decodeMetadataResponse(response, 7)).toThrow(/correlation id 8/);
  });
});
