import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '@vigil/logging';
import { createKafkaClient } from './kafka-client.ts';
import { OffsetResetRefused, offsetResetOf } from './offset-reset-guard.ts';

const silent = createLogger({ service: 'test', level: 'silent' });
const RESET_LINE = 'Offset out of range, resetting to default offset';

describe('offset-out-of-range guard', () => {
  it('matches the line the installed kafkajs logs right before it commits a reset', () => {
    // Pins the dependency: if kafkajs rewords the line, this fails instead of the guard going quiet.
    const kafkajsDir = dirname(createRequire(import.meta.url).resolve('kafkajs'));
    const source = readFileSync(join(kafkajsDir, 'src', 'consumer', 'consumerGroup.js'), 'utf8');
    const logged = source.indexOf(`this.logger.error('${RESET_LINE}'`);
    expect(logged).toBeGreaterThan(0);
    expect(source.indexOf('await this.offsetManager.setDefaultOffset', logged)).toBeGreaterThan(logged);
  });

  it('recognises only the reset line', () => {
    expect(offsetResetOf(RESET_LINE, { topic: 'alerts.v1', partition: 2, groupId: 'g' })).toEqual({ topic: 'alerts.v1', partition: 2 });
    expect(offsetResetOf('Offset out of range while fetching from follower, retrying with leader', { topic: 't', partition: 0 })).toBeNull();
    expect(offsetResetOf('Crash: KafkaJSNumberOfRetriesExceeded', {})).toBeNull();
  });

  it('calls the hook and aborts the reset when kafkajs logs it', () => {
    const hook = vi.fn();
    const kafka = createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'test', logger: silent, onOffsetOutOfRange: hook });
    const consumerGroupLog = kafka.logger().namespace('ConsumerGroup');
    expect(() => consumerGroupLog.error(RESET_LINE, { topic: 'alerts.v1', partition: 1, groupId: 'g', memberId: 'm' })).toThrow(OffsetResetRefused);
    expect(hook).toHaveBeenCalledWith({ topic: 'alerts.v1', partition: 1 });
    // kafkajs' retrier and crash handler read `retriable`: false means crash, no restart.
    expect(new OffsetResetRefused({ topic: 't', partition: 0 }).retriable).toBe(false);
  });

  it('leaves other log lines, and clients without the hook, alone', () => {
    const hook = vi.fn();
    const guarded = createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'test', logger: silent, onOffsetOutOfRange: hook });
    expect(() => guarded.logger().error('Connection error', { broker: 'x' })).not.toThrow();
    const plain = createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'test', logger: silent });
    expect(() => plain.logger().error(RESET_LINE, { topic: 't', partition: 0 })).not.toThrow();
    expect(hook).not.toHaveBeenCalled();
  });
});
