import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.ts';
import { kafkaFault, kafkaListening, managedKafkaPid } from '../support/kafka-fault.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Invariant I7 under a broker outage: with Kafka stopped the real gateway process
 * answers 503 with Retry-After and never 202, and once Kafka is back it accepts
 * again without being restarted. The broker is shared with other test runs, so the
 * outage is kept short and Kafka is restored whatever happens.
 */

const log = (line: string) => process.stderr.write(`[kafka-outage] ${line}\n`);
const fault = kafkaFault(log);
const managed = (await managedKafkaPid()) !== undefined;

let gateway: ServiceProcess;
let url: string;
let token: string;

beforeAll(async () => {
  if (!managed) return;
  const [port, metricsPort] = [await freePort(), await freePort()];
  url = `http://127.0.0.1:${port}`;
  gateway = await startService('ingest-api', { PORT: String(port), METRICS_PORT: String(metricsPort) });
  token = await tokenFor(uniqueTenant('outage'), 'sensor');
});

afterAll(async () => {
  // Normally restored inside the test already; this catches a failure before that point.
  await fault.restore();
  await gateway?.stop();
});

interface Answer {
  /** Kafka was down when the request was sent and still down when it was answered. */
  readonly duringOutage: boolean;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  readonly ms: number;
}

let n = 0;
async function postAlert(): Promise<Answer> {
  const started = Date.now();
  const downBefore = !(await kafkaListening());
  const body = { rule: { id: 'outage-rule', name: 'Kafka outage test' }, severity: 'low', event_time: new Date().toISOString(), observables: { host: `h-${++n}` } };
  const response = await fetch(`${url}/v1/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await response.json()) as { error?: { code: string } };
  const downAfter = !(await kafkaListening());
  return { duringOutage: downBefore && downAfter, status: response.status, code: json.error?.code, retryAfter: response.headers.get('retry-after'), ms: Date.now() - started };
}

async function readyz(): Promise<number> {
  return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) })).status;
}

describe.skipIf(!managed)('ingest-api while Kafka is down', () => {
  it('answers 503 with Retry-After (never 202) during the outage and 202 again by itself afterwards', async () => {
    expect((await postAlert()).status).toBe(202);

    const outage: Answer[] = [];
    const readiness: number[] = [];
    const stoppedAt = Date.now();
    let restoredAt = 0;
    try {
      await fault.stop();
      log(`stopped in ${Date.now() - stoppedAt} ms`);
      // Concurrent senders, as real sensors would be, for long enough to see the send
      // timeout (KAFKA_SEND_TIMEOUT_MS) and the fail-fast window after it. Other test runs
      // bring the shared stack up when they start; if one restarts Kafka early, stop.
      const until = Date.now() + 12_000;
      const down = async () => Date.now() < until && !(await kafkaListening());
      const sender = async () => {
        while (await down()) {
          outage.push(await postAlert());
          // Fail-fast answers take a millisecond; the pause keeps us under the tenant rate limit.
          await sleep(50);
        }
      };
      const prober = async () => {
        while (await down()) {
          readiness.push(await readyz());
          await sleep(200);
        }
      };
      await Promise.all([sender(), sender(), sender(), prober()]);
    } finally {
      const restoring = Date.now();
      await fault.restore();
      restoredAt = Date.now();
      log(`restored in ${restoredAt - restoring} ms; outage lasted ${restoredAt - stoppedAt} ms`);
    }

    const during = outage.filter((a) => a.duringOutage);
    const summary = outage.reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.status} ${a.code ?? ''}`]: (acc[`${a.status} ${a.code ?? ''}`] ?? 0) + 1 }), {});
    log(`answers: ${JSON.stringify(summary)}, ${during.length} entirely during the outage, slowest ${Math.max(...outage.map((a) => a.ms))} ms`);
    expect(during.length, 'Kafka came back too early (restarted by another test run?); rerun').toBeGreaterThan(3);
    // Only an answer both sent and received while the broker was down must be a 503:
    // one that straddles the restart may rightly be a 202 after a real ack.
    for (const answer of during) {
      expect(answer.status).toBe(503);
      expect(['OVERLOADED', 'REQUEST_TIMEOUT']).toContain(answer.code);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(readiness).toContain(503);

    // Recovery without touching the gateway: poll until Kafka acknowledges again.
    const recovered = await waitFor(async () => ((await postAlert()).status === 202 ? Date.now() : undefined), 60_000, 500);
    log(`first 202 ${recovered - restoredAt} ms after Kafka answered again`);
    const after = await Promise.all(Array.from({ length: 5 }, () => postAlert()));
    expect(after.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    await waitFor(async () => ((await readyz()) === 200 ? true : undefined), 10_000, 200);
  });
});
