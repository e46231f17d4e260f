import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pauseSimulations } from '@vigil/redis';
import { freePort } from '../support/ports.ts';
import { apiClient, correlationRuleYaml, type ApiClient } from '../support/security-apis.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * OWASP API4 on simulations: a tenant may have SIMULATION_PER_TENANT unfinished backtests;
 * the next is 429 SIMULATION_LIMIT, and cancelling one frees its slot. Deterministic: the
 * query API runs on its own Redis database, whose simulation queue this test pauses, so
 * every submitted job stays unfinished until the test resumes the queue (no worker of any
 * other process shares that queue, and no timing decides an answer).
 */

const PER_TENANT = 2;
// Redis database 11: its own BullMQ queue, so pausing it holds nobody else's simulations.
const redisUrl = `${stackEnv['REDIS_URL']}/11`;
let query: ApiClient;
let service: ServiceProcess;

beforeAll(async () => {
  await pauseSimulations(redisUrl, true);
  const [port, ops] = await Promise.all([freePort(), freePort()]);
  service = await startService('query-api', { PORT: String(port), METRICS_PORT: String(ops), CURSOR_KEY: `sim-${randomUUID()}`, REDIS_URL: redisUrl, SIMULATION_PER_TENANT: String(PER_TENANT) });
  query = apiClient(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await service?.stop();
  await pauseSimulations(redisUrl, false);
});

const draft = () => ({ yaml: correlationRuleYaml(`sim-limit-${randomUUID().slice(0, 8)}`, 'simulation limit'), from: Date.now() - 3_600_000, to: Date.now() });
const submit = (token: string) => query.call('POST', '/v1/rules/simulate', { token, body: draft() });
const stateOf = async (token: string, id: string) => (await query.call('GET', `/v1/rules/simulations/${id}`, { token })).body['state'];

describe('simulation limit per tenant, and cancel', () => {
  it('the (N+1)th unfinished simulation is 429 SIMULATION_LIMIT for that tenant only; cancel frees a slot; resumed jobs finish, the cancelled one as cancelled', async () => {
    const [engineer, other] = await Promise.all([tokenFor(uniqueTenant('sim-limit'), 'engineer'), tokenFor(uniqueTenant('sim-other'), 'engineer')]);

    const held: string[] = [];
    for (let i = 0; i < PER_TENANT; i++) {
      const accepted = await submit(engineer);
      expect(accepted.status).toBe(202);
      held.push(accepted.body['id'] as string);
    }
    for (const id of held) expect(await stateOf(engineer, id)).toBe('waiting');

    const refused = await submit(engineer);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('SIMULATION_LIMIT');
    // Another tenant's slots are its own.
    const elsewhere = await submit(other);
    expect(elsewhere.status).toBe(202);

    const cancelled = held[0]!;
    const cancel = await query.call('POST', `/v1/rules/simulations/${cancelled}/cancel`, { token: engineer });
    expect(cancel.status).toBe(202);
    expect(cancel.body['cancelling']).toBe(true);
    expect(await stateOf(engineer, cancelled)).toBe('cancelled');
    // The cancelled job no longer holds a slot: one more is accepted, and then the limit holds again.
    const replacement = await submit(engineer);
    expect(replacement.status).toBe(202);
    expect((await submit(engineer)).status).toBe(429);

    await pauseSimulations(redisUrl, false);
    const finished = async (id: string) => {
      const result = await query.call('GET', `/v1/rules/simulations/${id}/result`, { token: engineer });
      return result.status === 200 ? result.body : undefined;
    };
    expect((await waitFor(() => finished(cancelled)))['cancelled']).toBe(true);
    for (const id of [held[1]!, replacement.body['id'] as string]) expect((await waitFor(() => finished(id)))['cancelled']).toBe(false);
    expect(await stateOf(engineer, cancelled)).toBe('cancelled');
    // Every job finished: the tenant may submit again.
    expect((await submit(engineer)).status).toBe(202);
  });
});
