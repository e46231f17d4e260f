import { afterAll, describe, expect, it } from 'vitest';
import type { CorrelationNode, GroupState, WindowEvent } from '@vigil/detection';
import { createPool, type PoolClient } from '@vigil/postgres';
import { createPgStateStore } from '@vigil/correlate';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';

// The app role, as the service connects.
const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-group-state');
afterAll(() => pool.end());

// The store reads only a node's state key; the rest of a compiled rule does not matter here.
const node = { stateKey: 'race-rule@1' } as CorrelationNode;
const event = (id: string): WindowEvent => ({ id, t: Date.now(), r: 0, s: 1 });
const state: GroupState = { events: [event('a1')], episode: null, closeAt: null };

async function begin(): Promise<PoolClient> {
  const client = await pool.connect();
  await client.query('BEGIN');
  return client;
}

describe('correlation group rows written by two workers at once', () => {
  it('the second worker creating the same group sees a serialization failure (the slice is redone), not a lost state', async () => {
    const tenant = uniqueTenant('group-race');
    const first = await begin();
    const second = await begin();
    try {
      const a = createPgStateStore(first, tenant, new Map());
      const b = createPgStateStore(second, tenant, new Map());
      // Both look before either has written: neither finds a row.
      expect(await a.load(node, 'host:h1')).toBeNull();
      expect(await b.load(node, 'host:h1')).toBeNull();
      await a.save(node, 'host:h1', state);
      await b.save(node, 'host:h1', state);
      await a.flush();
      await first.query('COMMIT');
      await expect(b.flush()).rejects.toMatchObject({ code: '40001' });
    } finally {
      await second.query('ROLLBACK');
      first.release();
      second.release();
    }
    const rows = await pool.query('SELECT count(*)::int AS n FROM correlation_groups WHERE tenant_id = $1', [tenant]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('a transaction that inserts, updates and deletes rows in one flush leaves exactly the surviving states', async () => {
    const tenant = uniqueTenant('group-flush');
    const setup = await begin();
    try {
      const s = createPgStateStore(setup, tenant, new Map());
      for (const key of ['host:keep', 'host:drop']) await s.save(node, key, state);
      await s.flush();
      await setup.query('COMMIT');
    } finally {
      setup.release();
    }
    const client = await begin();
    try {
      const s = createPgStateStore(client, tenant, new Map());
      await s.prefetch([{ node, groupKey: 'host:keep' }, { node, groupKey: 'host:drop' }, { node, groupKey: 'host:new' }]);
      const kept: GroupState = { ...state, events: [...state.events, event('a2')] };
      await s.save(node, 'host:keep', kept);
      await s.save(node, 'host:drop', { events: [], episode: null, closeAt: null });
      await s.save(node, 'host:new', state);
      await s.flush();
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const rows = await pool.query<{ group_key: string; states: string }>('SELECT group_key, states FROM correlation_groups WHERE tenant_id = $1 ORDER BY group_key', [tenant]);
    expect(rows.rows.map((r) => [r.group_key, (JSON.parse(r.states) as Record<string, GroupState>)[node.stateKey]!.events.length])).toEqual([
      ['host:keep', 2],
      ['host:new', 1],
    ]);
  });
});
