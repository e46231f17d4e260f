import { describe, expect, it } from 'vitest';
import { compileDocument } from './compile-document.ts';
import { parseDocuments } from './parse-documents.ts';

function compileAll(yaml: string) {
  const parsed = parseDocuments(yaml);
  return { parsed, results: parsed.documents.map(compileDocument) };
}

/** The multi-document example of the Sigma correlation specification, verbatim in substance. */
const specExample = `title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
status: experimental
description: Detects multiple failed logins by a single user followed by a successful login of that user
references:
    - https://reference.com
author: Florian Roth (Nextron Systems)
date: 2023-06-16
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - User
    timespan: 10m
falsepositives:
    - Unlikely
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
description: Detects multiple failed logins within a certain amount of time
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
---
title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 529
            - 4625
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
description: Detects a successful login
name: successful_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 528
            - 4624
    condition: selection
`;

describe('Sigma documents', () => {
  it('imports the specification example: two correlations and two detections', () => {
    const { parsed, results } = compileAll(specExample);
    expect(parsed.problems).toEqual([]);
    expect(results.map((r) => (r.ok ? `${r.rule.kind}:${r.rule.key}` : 'rejected'))).toEqual([
      'correlation:b180ead8-d58f-40b2-ae54-c8940995b9b6',
      'correlation:a8418a5a-5fc4-46b5-b23b-6c73beb19d41',
      'detection:53ba33fd-3a50-4468-a5ef-c583635cfa92',
      'detection:4d0a2c83-c62c-4ed4-b475-c7e23a9269b8',
    ]);
    const first = results[0]!;
    expect(first.ok && first.rule.kind === 'correlation' && first.rule.correlation.condition.bounds).toEqual([{ op: 'gte', value: 2 }]);
    expect(first.ok && first.rule.level).toBe('high');
    const detection = results[2]!;
    expect(detection.ok && detection.rule.logsource).toEqual({ product: 'windows', service: 'security' });
  });

  it.each([
    ['event_count with a range', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {gt: 100, lte: 200}', true],
    ['value_count with field', 'type: value_count\n  rules: [r]\n  group-by: [src_ip]\n  timespan: 1d\n  condition: {field: User, gte: 100}', true],
    ['value_avg', 'type: value_avg\n  rules: [r]\n  group-by: [host]\n  timespan: 5m\n  condition: {field: bytes, gt: 10}', true],
    ['temporal without condition', 'type: temporal\n  rules: [a, b, c]\n  group-by: [host, User]\n  timespan: 5m', true],
    ['temporal asking for all but one of its rules', 'type: temporal\n  rules: [a, b, c]\n  group-by: [host]\n  timespan: 5m\n  condition: {gt: 1, lt: 3}', true],
    ['an event count of exactly one', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {eq: 1}', true],
    ['value_sum below one (sums are not counts)', 'type: value_sum\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {field: bytes, lt: 1}', true],
    // The specification's own fixtures (tests/schema/correlation/temporal_condition.yml and temporal_ordered_condition.yml).
    ['temporal with an extended condition', 'type: temporal\n  rules: [recon_cmd_a, recon_cmd_b, recon_cmd_c]\n  group-by: [ComputerName, User]\n  timespan: 5m\n  condition: recon_cmd_a AND recon_cmd_b AND recon_cmd_c', true],
    ['temporal_ordered with an extended condition asking for all', 'type: temporal_ordered\n  rules: [recon_cmd_a, recon_cmd_b, recon_cmd_c]\n  group-by: [ComputerName, User]\n  timespan: 5m\n  condition: recon_cmd_a AND recon_cmd_b AND recon_cmd_c', true],
    ['timespan in seconds and days', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 2d\n  condition: {gte: 2}', true],
  ])('accepts %s', (_name, body, ok) => {
    const [result] = compileAll(`title: T\ncorrelation:\n  ${body}\n`).results;
    expect(result!.ok).toBe(ok);
  });

  it.each([
    ['an unknown correlation type', 'type: value_percentile\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {field: x, gte: 1}', 'correlation.type', 3, 'correlation type value_percentile'],
    ['a malformed timespan', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1 hour\n  condition: {gte: 2}', 'correlation.timespan', 6, undefined],
    ['an unknown operator', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition:\n    between: 3', 'correlation.condition.between', 8, 'condition operator between'],
    ['value_count without a field', 'type: value_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {gte: 3}', 'correlation.condition', 7, undefined],
    ['a range that can never hold', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {gt: 10, lt: 5}', 'correlation.condition', 7, undefined],
    ['temporal asking for more than all its rules', 'type: temporal\n  rules: [a, b]\n  group-by: [host]\n  timespan: 1h\n  condition: {gt: 2}', 'correlation.condition', 7, undefined],
    ['an event count below one', 'type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {lt: 1}', 'correlation.condition', 7, undefined],
    ['a count strictly between two whole numbers', 'type: value_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {field: user_name, gt: 2, lt: 3}', 'correlation.condition', 7, undefined],
    ['temporal_ordered with another expression', 'type: temporal_ordered\n  rules: [a, b, c]\n  group-by: [host]\n  timespan: 5m\n  condition: a and not b and c', 'correlation.condition', 7, 'extended condition on temporal_ordered'],
    ['an expression naming a rule rules: lacks', 'type: temporal\n  rules: [a, b]\n  group-by: [host]\n  timespan: 5m\n  condition: a and c', 'correlation.condition', 7, undefined],
    ['an expression on event_count', 'type: event_count\n  rules: [a, b]\n  group-by: [host]\n  timespan: 5m\n  condition: a and b', 'correlation.condition', 7, undefined],
    ['no rules', 'type: event_count\n  rules: []\n  group-by: [host]\n  timespan: 1h\n  condition: {gte: 3}', 'correlation.rules', 4, undefined],
  ])('rejects %s with its path, line and feature', (_name, body, path, line, feature) => {
    const [result] = compileAll(`title: T\ncorrelation:\n  ${body}\n`).results;
    expect(result!.ok).toBe(false);
    const problem = !result!.ok ? result!.problems.find((p) => p.path === path) : undefined;
    expect(problem).toMatchObject({ path, line });
    expect(problem?.feature).toBe(feature);
  });

  it('reports every problem of a document at once, and YAML syntax errors with their line', () => {
    const [result] = compileAll('title: T\ncorrelation:\n  type: nope\n  timespan: soon\n').results;
    expect(!result!.ok && result!.problems.map((p) => p.path)).toEqual(['correlation.type', 'correlation.rules', 'correlation.timespan', 'correlation.condition']);
    const broken = parseDocuments('title: ok\ndetection: {a: 1, condition: a}\n---\ntitle: x\ntitle: y\n');
    expect(broken.documents).toHaveLength(1);
    expect(broken.problems[0]).toMatchObject({ line: 5 });
  });

  it('reads generate at the top of the document (the schema) or in correlation (pySigma), and refuses two that disagree', () => {
    const doc = (top: string, inside: string) => `title: T\n${top}correlation:\n  type: event_count\n  rules: [r]\n  group-by: [host]\n  timespan: 1h\n  condition: {gte: 2}\n${inside}`;
    const generateOf = (text: string) => compileAll(text).results.map((r) => (r.ok && r.rule.kind === 'correlation' ? r.rule.correlation.generate : 'rejected'));
    expect(generateOf(doc('generate: true\n', ''))).toEqual([true]);
    expect(generateOf(doc('', '  generate: true\n'))).toEqual([true]);
    expect(generateOf(doc('', ''))).toEqual([false]);
    expect(generateOf(doc('generate: true\n', '  generate: true\n'))).toEqual([true]);
    expect(generateOf(doc('generate: false\n', '  generate: true\n'))).toEqual(['rejected']);
    expect(generateOf(doc('generate: yes please\n', ''))).toEqual(['rejected']);
  });

  it('rejects Sigma filter rules and documents with neither detection nor correlation', () => {
    const { results } = compileAll('title: F\nfilter:\n  rules: [x]\n---\ntitle: Empty\n');
    expect(results.map((r) => !r.ok && r.problems[0]!.feature)).toEqual(['Sigma filter rule', undefined]);
  });

  it('maps levels, and keys a rule by id, else name, else title', () => {
    const { results } = compileAll('title: A b!\nlevel: informational\ndetection: {s: {x: 1}, condition: s}\n---\ntitle: T\nname: nm\ndetection: {s: {x: 1}, condition: s}\n');
    expect(results.map((r) => r.ok && [r.rule.key, r.rule.level])).toEqual([['a_b', 'info'], ['nm', null]]);
  });
});
