import { describe, expect, it, vi } from 'vitest';
import type { Kafka } from 'kafkajs';
import { Gauge, createMetricsRegistry } from '@vigil/metrics';
import { startLagSampler } from './lag-sampler.ts';

describe('lag sampler', () => {
  it('reports broker lag of owned partitions only, and drops partitions lost in a rebalance', async () => {
    const registry = createMetricsRegistry('unit');
    const gauge = new Gauge({ name: 'lag', help: 'lag', labelNames: ['stage', 'topic', 'partition'] as const, registers: [registry] });
    const admin = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      // committed 4 on p0 and nothing on p1 (log starts at 2); high watermark 10 on both
      fetchOffsets: async () => [{ topic: 't', partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '-1' }] }],
      fetchTopicOffsets: async () => [
        { partition: 0, low: '0', high: '10', offset: '10' },
        { partition: 1, low: '2', high: '10', offset: '10' },
      ],
    };
    let assigned = new Map([['t', [0, 1]]]);
    const sampler = startLagSampler({ kafka: { admin: () => admin } as unknown as Kafka, groupId: 'g', stage: 's', gauge, assigned: () => assigned, intervalMs: 10, onError: () => undefined });
    const values = async () => Object.fromEntries((await gauge.get()).values.map((v) => [v.labels.partition, v.value]));
    await vi.waitFor(async () => expect(await values()).toEqual({ 0: 6, 1: 8 }));
    assigned = new Map([['t', [1]]]);
    await vi.waitFor(async () => expect(await values()).toEqual({ 1: 8 }));
    await sampler.stop();
    expect(await values()).toEqual({});
  });
});
