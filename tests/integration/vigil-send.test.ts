import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/ingest-gateway.ts';
import { cli, uniqueTenant } from '../support/stack-env.ts';

/** `vigil send` as a user runs it: a CLI process posting files to a real, listening gateway. */

const run = promisify(execFile);
let gateway: TestGateway;
let url: string;
let token: string;
let dir: string;
let published = 0;

beforeAll(async () => {
  gateway = await startTestGateway({
    wrapPublisher: (real) => ({
      ...real,
      publish: async (alerts) => {
        await real.publish(alerts);
        published += alerts.length;
      },
    }),
  });
  url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  token = await gateway.idp.token(uniqueTenant('send'), 'sensor');
  dir = await mkdtemp(join(tmpdir(), 'vigil-send-'));
});

afterAll(async () => {
  await gateway?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const alert = (n: number, overrides: Record<string, unknown> = {}) => ({
  rule: { id: `send-${n}`, name: `vigil send test ${n}` },
  severity: 'low',
  event_time: new Date().toISOString(),
  observables: { host: `h${n}` },
  ...overrides,
});

async function vigilSend(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(cli.repoRoot, 'packages/cli/src/main.ts'), 'send', '--url', url, '--token', token, ...args], { cwd: cli.repoRoot });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('vigil send', () => {
  it('posts a JSON array, a single object and NDJSON in batches and exits 0 when all were accepted', async () => {
    await writeFile(join(dir, 'array.json'), JSON.stringify(Array.from({ length: 7 }, (_, n) => alert(n))));
    await writeFile(join(dir, 'one.json'), JSON.stringify(alert(100), null, 2));
    await writeFile(join(dir, 'many.ndjson'), Array.from({ length: 5 }, (_, n) => JSON.stringify(alert(200 + n))).join('\n'));
    const result = await vigilSend('--batch', '3', join(dir, 'array.json'), join(dir, 'one.json'), join(dir, 'many.ndjson'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('accepted 13, rejected 0 of 13 records from 3 file(s)');
    // Not a terminal: plain progress lines on stderr, one per batch.
    expect(result.stderr.trim().split('\n').length).toBe(5);
  });

  it('reports rejections with their codes and file positions, and exits 1', async () => {
    const lines = [JSON.stringify(alert(1)), 'not json', JSON.stringify(alert(2, { event_time: '2001-01-01T00:00:00Z' })), JSON.stringify(alert(3))];
    await writeFile(join(dir, 'mixed.ndjson'), lines.join('\n'));
    const result = await vigilSend('--format', 'vigil', join(dir, 'mixed.ndjson'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('accepted 2, rejected 2 of 4 records');
    expect(result.stdout).toMatch(/mixed\.ndjson:2 {2}REQUEST_BODY_INVALID_JSON/);
    expect(result.stdout).toMatch(/mixed\.ndjson:3 {2}ALERT_TIMESTAMP_INVALID {2}event_time/);
  });

  it('sending the same file again replays the first answers instead of publishing twice', async () => {
    const file = join(dir, 'again.ndjson');
    await writeFile(file, [alert(1), alert(2)].map((a) => JSON.stringify(a)).join('\n'));
    const before = published;
    const first = await vigilSend(file);
    const second = await vigilSend(file);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stdout).toBe(first.stdout);
    expect(published - before).toBe(2);
  });

  it('exits 1 with every record rejected when the token is refused, and 2 on usage errors', async () => {
    await writeFile(join(dir, 'x.json'), JSON.stringify(alert(1)));
    const refused = await run(process.execPath, ['--import', 'tsx', join(cli.repoRoot, 'packages/cli/src/main.ts'), 'send', '--url', url, '--token', 'nope', join(dir, 'x.json')], { cwd: cli.repoRoot }).catch((e: { code: number; stdout: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stdout: string }).stdout).toContain('AUTH_TOKEN_INVALID');
    expect((await vigilSend('--format', 'xml', join(dir, 'x.json'))).code).toBe(2);
    expect((await vigilSend('--batch', '0', join(dir, 'x.json'))).code).toBe(2);
  });
});
