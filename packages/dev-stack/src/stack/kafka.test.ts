import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateClusterId, kafkaServerValues } from './kafka.ts';
import { renderTemplateFile } from './templates.ts';

const template = fileURLToPath(new URL('../../../../infra/local/kafka/server.properties.template', import.meta.url));

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line): [string, string] => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
  return new Map(entries);
}

describe('kafka server.properties', () => {
  it('renders a single-node KRaft broker on loopback', async () => {
    const props = parseProperties(await renderTemplateFile(template, kafkaServerValues('/x/.vigil/data/kafka/kraft-combined-logs')));
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9092');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
    expect(props.get('listener.security.protocol.map')).toBe('CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT');
    expect(props.get('log.dirs')).toBe('/x/.vigil/data/kafka/kraft-combined-logs');
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('num.partitions')).toBe('3');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('min.insync.replicas')).toBe('1');
    for (const [key, value] of props) {
      if (key.endsWith('replication.factor') || key.endsWith('min.isr')) expect(value, key).toBe('1');
    }
    expect([...props.values()].join('\n')).not.toMatch(/\{\{|\}\}/);
  });
});

describe('generateClusterId', () => {
  it('produces the 22-character URL-safe base64 form Kafka expects', () => {
    const id = generateClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it('never starts with a dash, which the storage tool would take for a flag', () => {
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x01)]; // 0xfb... encodes as "-..."
    const id = generateClusterId(() => draws.shift() ?? Buffer.alloc(16, 2));
    expect(id.startsWith('-')).toBe(false);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  });
});
