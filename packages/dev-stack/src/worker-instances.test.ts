import { describe, expect, it } from 'vitest';
import { defaultTopicConfig } from '@vigil/kafka';
import { idleInstanceWarnings, instancePlan, parseWorkerCounts } from './worker-instances.ts';

describe('VIGIL_WORKERS', () => {
  it('unset or empty: one instance of each worker', () => {
    expect(parseWorkerCounts(undefined)).toEqual({ dedup: 1, correlate: 1, indexer: 1 });
    expect(parseWorkerCounts(' ')).toEqual({ dedup: 1, correlate: 1, indexer: 1 });
  });

  it('a number applies to every worker, stage:n to one, and both combine', () => {
    expect(parseWorkerCounts('2')).toEqual({ dedup: 2, correlate: 2, indexer: 2 });
    expect(parseWorkerCounts('dedup:2, indexer:3')).toEqual({ dedup: 2, correlate: 1, indexer: 3 });
    expect(parseWorkerCounts('indexer:3,2')).toEqual({ dedup: 2, correlate: 2, indexer: 3 });
  });

  it('refuses unknown workers, zero, fractions and more than 8, naming each item', () => {
    expect(() => parseWorkerCounts('ingest-api:2')).toThrow(/'ingest-api:2': no worker ingest-api/);
    expect(() => parseWorkerCounts('0')).toThrow(/'0': instances must be a whole number from 1 to 8/);
    expect(() => parseWorkerCounts('dedup:1.5,indexer:9')).toThrow(/'dedup:1\.5'.*'indexer:9'/);
    expect(() => parseWorkerCounts('dedup:')).toThrow(/'dedup:'/);
  });
});

describe('instance plan', () => {
  const plan = [
    ['indexer', { METRICS_PORT: '19503', CONSUMER_GROUP: 'g.indexer' }],
    ['dedup', {}],
    ['ingest-api', { PORT: '18000' }],
  ] as const;
  const defaults = (name: string) => ({ indexer: 9503, dedup: 9502, 'ingest-api': 9500 })[name]!;

  it('repeats workers with the same env (same group) and a metrics port of their own; APIs stay single', () => {
    const instances = instancePlan(plan, parseWorkerCounts('dedup:3,indexer:2'), defaults);
    expect(instances.map((i) => [i.name, i.instance, i.env['METRICS_PORT'], i.env['CONSUMER_GROUP']])).toEqual([
      ['indexer', 1, '19503', 'g.indexer'],
      ['indexer', 2, '19513', 'g.indexer'],
      ['dedup', 1, undefined, undefined],
      ['dedup', 2, '9512', undefined],
      ['dedup', 3, '9522', undefined],
      ['ingest-api', 1, undefined, undefined],
    ]);
    expect(new Set(instances.map((i) => i.env['METRICS_PORT'] ?? defaults(i.name))).size).toBe(instances.length);
  });

  it('warns when a worker has more instances than the partitions of its inputs', () => {
    // dedup reads one topic, the indexer three: at 2 partitions each, 2 and 6 instances own some.
    const twoEach = { ...defaultTopicConfig, partitions: 2 };
    expect(idleInstanceWarnings(parseWorkerCounts('dedup:3,indexer:6'), twoEach)).toEqual(['dedup: 3 instances for 2 partitions of its inputs; 1 will own none (raise KAFKA_PARTITIONS)']);
    expect(idleInstanceWarnings(parseWorkerCounts('dedup:2,indexer:6'), twoEach)).toEqual([]);
  });
});
