import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { opensearchValues, parseHealthStatus } from './opensearch.ts';
import { renderTemplateFile } from './templates.ts';

const template = fileURLToPath(new URL('../../../../infra/local/opensearch/opensearch.yml.template', import.meta.url));

describe('opensearch.yml', () => {
  it('renders a loopback single-node cluster with data and logs under .vigil', async () => {
    const yml = await renderTemplateFile(template, opensearchValues('/r/.vigil/data/opensearch/data', '/r/.vigil/data/opensearch/logs'));
    const settings = new Map(
      yml
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('#'))
        .map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    expect(Object.fromEntries(settings)).toEqual({
      'cluster.name': 'vigil-local',
      'node.name': 'vigil-1',
      'network.host': '127.0.0.1',
      'http.port': '9200',
      'transport.port': '9300',
      'discovery.type': 'single-node',
      'path.data': '/r/.vigil/data/opensearch/data',
      'path.logs': '/r/.vigil/data/opensearch/logs',
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
    });
  });
});

describe('parseHealthStatus', () => {
  it('extracts the colour from a _cluster/health body', () => {
    expect(parseHealthStatus('{"cluster_name":"vigil-local","status":"yellow","timed_out":false}')).toBe('yellow');
  });

  it('is undefined for anything else', () => {
    expect(parseHealthStatus('<html>')).toBeUndefined();
    expect(parseHealthStatus('{"status":1}')).toBeUndefined();
  });
});
