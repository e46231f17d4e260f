import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * The gateway as a process group (GATEWAY_PROCESSES=2) on the real stack: the members
 * share the port, the primary's /metrics sums theirs, a member that dies is replaced,
 * and SIGTERM to the primary stops every member gracefully.
 */

/** Pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out.sort();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let gateway: ServiceProcess;
let port: number;
let metricsUrl: string;
let token: string;
let sent = 0;

/** One alert on a connection of its own, so the primary hands connections to both members. */
function postAlert(): Promise<number> {
  const body = JSON.stringify({ rule: { id: 'group-rule', name: 'Process group test' }, severity: 'low', event_time: new Date().toISOString(), observables: { host: `h-${++sent}` } });
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/alerts', method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function acceptedTotal(): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('vigil_ingest_alerts_accepted_total'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

beforeAll(async () => {
  port = await freePort();
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}`;
  gateway = await startService('ingest-api', { PORT: String(port), METRICS_PORT: String(metricsPort), GATEWAY_PROCESSES: '2' });
  token = await tokenFor(uniqueTenant('group'), 'sensor');
});

afterAll(async () => {
  await gateway?.stop();
});

describe('ingest-api with GATEWAY_PROCESSES=2', () => {
  it('serves the port from two members and sums their metrics at the primary', async () => {
    expect(childrenOf(gateway.pid)).toHaveLength(2);
    const statuses = await Promise.all(Array.from({ length: 40 }, () => postAlert()));
    expect(statuses.every((s) => s === 202)).toBe(true);
    // Each member counts only its own; the primary's endpoint must see all 40.
    expect(await acceptedTotal()).toBe(40);
  });

  it('replaces a member that dies and stays ready; both members had served', async () => {
    const [victim, survivor] = childrenOf(gateway.pid);
    process.kill(victim!, 'SIGKILL');
    const members = await waitFor(async () => {
      const now = childrenOf(gateway.pid);
      return now.length === 2 && !now.includes(victim!) ? now : undefined;
    }, 30_000);
    expect(members).toContain(survivor);
    await waitFor(async () => ((await fetch(`${metricsUrl}/readyz`)).status === 200 ? true : undefined), 30_000);
    // The dead member's counts died with it: what is left is the survivor's share of the
    // 40, neither all of them nor none, so both members had taken connections.
    const survivorShare = await acceptedTotal();
    expect(survivorShare).toBeGreaterThan(0);
    expect(survivorShare).toBeLessThan(40);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => postAlert()));
    expect(statuses.every((s) => s === 202)).toBe(true);
    expect(await acceptedTotal()).toBe(survivorShare + 10);
  });

  it('stops every member gracefully on SIGTERM to the primary', async () => {
    const members = childrenOf(gateway.pid);
    expect(members).toHaveLength(2);
    await gateway.stop('SIGTERM', 20_000);
    expect(await gateway.exited).toBe(0);
    await waitFor(async () => (members.some(alive) ? undefined : true), 10_000);
    expect(members.filter(alive)).toEqual([]);
  });
});
