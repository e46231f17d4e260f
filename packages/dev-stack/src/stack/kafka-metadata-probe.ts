import { connect } from 'node:net';

// A raw Metadata request proves the broker is serving clients, which an open
// port does not (the socket is bound well before KRaft has elected a leader).
// Hand-rolled so the CLI needs no Kafka client dependency; v4 is the oldest
// version Kafka 4.x still accepts and the newest without "flexible" encoding.

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;
const CLIENT_ID = 'vigil-stack-probe';

export interface KafkaBroker {
  nodeId: number;
  host: string;
  port: number;
}

export interface KafkaMetadata {
  brokers: KafkaBroker[];
  clusterId: string | null;
  controllerId: number;
}

export function encodeMetadataRequest(correlationId: number): Buffer {
  const clientId = Buffer.from(CLIENT_ID, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let offset = 0;
  offset = body.writeInt16BE(METADATA_API_KEY, offset);
  offset = body.writeInt16BE(METADATA_VERSION, offset);
  offset = body.writeInt32BE(correlationId, offset);
  offset = body.writeInt16BE(clientId.length, offset);
  offset += clientId.copy(body, offset);
  offset = body.writeInt32BE(-1, offset); // topics: null = all; we only want brokers
  body.writeInt8(0, offset); // allow_auto_topic_creation
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** Decodes a response frame without its 4-byte size prefix. Topics are not needed and not read. */
export function decodeMetadataResponse(frame: Buffer, expectedCorrelationId: number): KafkaMetadata {
  let offset = 0;
  const int32 = (): number => {
    const value = frame.readInt32BE(offset);
    offset += 4;
    return value;
  };
  const nullableString = (): string | null => {
    const length = frame.readInt16BE(offset);
    offset += 2;
    if (length < 0) return null;
    const value = frame.toString('utf8', offset, offset + length);
    offset += length;
    return value;
  };
  const correlationId = int32();
  if (correlationId !== expectedCorrelationId) {
    throw new Error(`kafka answered correlation id ${correlationId}, expected ${expectedCorrelationId}`);
  }
  int32(); // throttle_time_ms
  const brokerCount = int32();
  const brokers: KafkaBroker[] = [];
  for (let i = 0; i < brokerCount; i++) {
    const nodeId = int32();
    const host = nullableString() ?? '';
    const port = int32();
    nullableString(); // rack
    brokers.push({ nodeId, host, port });
  }
  const clusterId = nullableString();
  const controllerId = int32();
  return { brokers, clusterId, controllerId };
}

/** Metadata from the broker at host:port, or undefined if it cannot answer yet. */
export function fetchKafkaMetadata(host: string, port: number, timeoutMs = 2000): Promise<KafkaMetadata | undefined> {
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (result: KafkaMetadata | undefined): void => {
      socket.destroy();
      resolvePromise(result);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
    socket.once('connect', () => socket.write(encodeMetadataRequest(correlationId)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      try {
        finish(decodeMetadataResponse(received.subarray(4, 4 + size), correlationId));
      } catch {
        finish(undefined);
      }
    });
  });
}
