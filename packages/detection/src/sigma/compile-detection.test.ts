import type { Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { describe, expect, it } from 'vitest';
import { compileDetection } from './compile-detection.ts';
import { compileYamlDetection, mustCompile } from '../../testing/sigma-support.ts';

// Identifiers a..d each hold when the alert carries the label of that name.
const flags = { a: { A: 'y' }, b: { B: 'y' }, c: { C: 'y' }, d: { D: 'y' } };
const withFlags = (set: string): Alert => sampleAlert({ labels: Object.fromEntries([...set].map((flag) => [flag.toUpperCase(), 'y'])) });
const allSets = ['', 'a', 'b', 'c', 'ab', 'ac', 'bc', 'abc'];

describe('condition forms', () => {
  it.each([
    ['a', (s: string) => s.includes('a')],
    ['a and b', (s: string) => s.includes('a') && s.includes('b')],
    ['a or b', (s: string) => s.includes('a') || s.includes('b')],
    ['not a', (s: string) => !s.includes('a')],
    ['a or b and c', (s: string) => s.includes('a') || (s.includes('b') && s.includes('c'))],
    ['(a or b) and c', (s: string) => (s.includes('a') || s.includes('b')) && s.includes('c')],
    ['not a and b', (s: string) => !s.includes('a') && s.includes('b')],
    ['not (a and b)', (s: string) => !(s.includes('a') && s.includes('b'))],
    ['not not a', (s: string) => s.includes('a')],
    ['a and not b or c', (s: string) => (s.includes('a') && !s.includes('b')) || s.includes('c')],
    ['((a))', (s: string) => s.includes('a')],
  ])('%s', (condition, expected) => {
    const detection = mustCompile({ ...flags, condition: condition.replace(/\b[ABCD]\b/g, (id) => id.toLowerCase()) });
    for (const set of allSets) expect(detection.matches(withFlags(set)), set).toBe(expected(set));
  });

  it('a list of conditions is OR', () => {
    const detection = mustCompile({ ...flags, condition: ['a and b', 'c'] });
    expect(allSets.map((set) => detection.matches(withFlags(set)))).toEqual(allSets.map((set) => (set.includes('a') && set.includes('b')) || set.includes('c')));
  });
});

describe('x of', () => {
  const detection = (condition: string) =>
    mustCompile({ selection_a: { A: 'y' }, selection_b: { B: 'y' }, filter_c: { C: 'y' }, _hidden: { D: 'y' }, condition });
  const alert = (set: string) => withFlags(set);

  it.each([
    ['1 of selection_*', 'b', true],
    ['1 of selection_*', 'c', false],
    ['all of selection_*', 'a', false],
    ['all of selection_*', 'ab', true],
    ['1 of selection* and not 1 of filter*', 'a', true],
    ['1 of selection* and not 1 of filter*', 'ac', false],
    ['1 of *_b', 'b', true],
    ['1 of them', 'c', true],
    ['1 of them leaves out _ identifiers', 'd', false],
    ['all of them', 'abc', true],
    ['all of them leaves out _ identifiers', 'abc', true],
    ['all of them', 'ab', false],
    ['not 1 of them', '', true],
  ])('%s (%s)', (condition, set, expected) => {
    const cleaned = condition.replace(/ leaves out _ identifiers$/, '');
    expect(detection(cleaned).matches(alert(set))).toBe(expected);
  });
});

describe('search identifiers', () => {
  it('a map is AND, a list of maps is OR', () => {
    const detection = mustCompile({ sel: [{ A: 'y', B: 'y' }, { C: 'y' }], condition: 'sel' });
    expect(['ab', 'a', 'c', 'bc', ''].map((set) => detection.matches(withFlags(set)))).toEqual([true, false, true, true, false]);
  });

  it('keywords are an OR of substrings over the alert text, case-insensitive, with wildcards', () => {
    const detection = mustCompile({ keywords: ['EVENT::CLEAR', 'svc*-n evil'], condition: 'keywords' });
    expect(detection.matches(sampleAlert({ raw: '{"msg":"mimikatz event::clear done"}' }))).toBe(true);
    expect(detection.matches(sampleAlert({ labels: { cmd: 'svchost.exe -n evil' } }))).toBe(true);
    expect(detection.matches(sampleAlert({ host: 'x event::drop' }))).toBe(false);
    expect(detection.matches(sampleAlert({ id: 'event::clear' }))).toBe(false);
  });

  it("'|all' keywords must all appear, in any pieces of text", () => {
    const detection = mustCompile({ keywords: { '|all': ['OabVirtualDirectory', ' -ExternalUrl '] }, condition: 'keywords' });
    expect(detection.matches(sampleAlert({ raw: 'Set-OabVirtualDirectory -ExternalUrl x' }))).toBe(true);
    expect(detection.matches(sampleAlert({ host: 'oabvirtualdirectory', labels: { c: 'a -externalurl b' } }))).toBe(true);
    expect(detection.matches(sampleAlert({ raw: 'Set-OabVirtualDirectory' }))).toBe(false);
  });

  it('a keyword can be a number, and a single string is one keyword', () => {
    expect(mustCompile({ k: [4624], condition: 'k' }).matches(sampleAlert({ raw: '{"EventID":4624}' }))).toBe(true);
    expect(mustCompile({ k: 'evil', condition: 'k' }).matches(sampleAlert({ url: 'http://EVIL.example' }))).toBe(true);
  });

  it('keywords and field conditions combine in a condition', () => {
    const detection = mustCompile({ sel: { 'Image|endswith': '\\powershell.exe' }, kw: ['-enc'], condition: 'sel and kw' });
    expect(detection.matches(sampleAlert({ process: 'C:\\x\\powershell.exe', raw: 'powershell -enc AAAA' }))).toBe(true);
    expect(detection.matches(sampleAlert({ process: 'C:\\x\\powershell.exe', raw: 'powershell -c dir' }))).toBe(false);
  });
});

describe('problems', () => {
  const problemsOf = (detection: unknown) => {
    const result = compileDetection(detection, () => 7);
    if (result.ok) throw new Error('expected problems');
    return result.problems;
  };

  it.each([
    ['wide without an encoding', { sel: { 'x|wide': 'x' }, condition: 'sel' }, 'detection.sel.x|wide', 'modifier wide without base64'],
    ['utf16be with contains only', { sel: { 'x|utf16be|contains': 'x' }, condition: 'sel' }, 'detection.sel.x|utf16be|contains', 'modifier utf16be without base64'],
    ['expand', { sel: { 'x|expand': '%Servers%' }, condition: 'sel' }, 'detection.sel.x|expand', 'modifier expand'],
    ['time parts', { sel: { 'x|hour': 3 }, condition: 'sel' }, 'detection.sel.x|hour', 'modifier hour'],
    ['an unknown modifier', { sel: { 'x|frobnicate': 'x' }, condition: 'sel' }, 'detection.sel.x|frobnicate', 'modifier frobnicate'],
    ['aggregation', { sel: { A: 'y' }, condition: 'sel | count() by host > 5' }, 'detection.condition', 'condition aggregation'],
    ['near', { sel: { A: 'y' }, condition: 'sel near other' }, 'detection.condition', 'condition near'],
    ['any of', { sel: { A: 'y' }, condition: 'any of sel*' }, 'detection.condition', 'condition any of'],
    ['2 of', { sel: { A: 'y' }, condition: '2 of sel*' }, 'detection.condition', 'condition 2 of'],
    ['timeframe', { sel: { A: 'y' }, timeframe: '5m', condition: 'sel' }, 'detection.timeframe', 'detection timeframe'],
    ['keyword with startswith', { kw: { '|startswith': 'x' }, condition: 'kw' }, 'detection.kw.|startswith', 'keyword modifiers'],
    ['windash with base64', { sel: { 'x|windash|base64': '-x' }, condition: 'sel' }, 'detection.sel.x|windash|base64', 'modifier windash with base64'],
  ])('unsupported: %s', (_, detection, path, feature) => {
    expect(problemsOf(detection)).toEqual([expect.objectContaining({ path, feature, line: 7 })]);
  });

  it.each([
    ['unknown identifier', { sel: { A: 'y' }, condition: 'sel and other' }, 'detection.condition', /"other" is not a search identifier/],
    ['pattern naming nothing', { sel: { A: 'y' }, condition: '1 of filter*' }, 'detection.condition', /"filter\*" names no search identifier/],
    ['pattern naming only _ identifiers (a pattern is "them" restricted)', { _filter: { A: 'y' }, sel: { B: 'y' }, condition: 'sel and not 1 of _filter*' }, 'detection.condition', /"_filter\*" names no search identifier/],
    ['all with one value', { sel: { 'CommandLine|contains|all': 'foo' }, condition: 'sel' }, 'detection.sel.CommandLine|contains|all', /"all" needs a list of two or more values/],
    ['all with a one-item list', { sel: { 'CommandLine|contains|all': ['foo'] }, condition: 'sel' }, 'detection.sel.CommandLine|contains|all', /"all" needs a list of two or more values/],
    ['a PCRE-only escape', { sel: { 'x|re': 'abc\\Z' }, condition: 'sel' }, 'detection.sel.x|re', /"\\Z" is a PCRE escape.*use \$/],
    ['a wildcard in a field reference', { sel: { 'x|fieldref': 'Ima*' }, condition: 'sel' }, 'detection.sel.x|fieldref', /has a wildcard/],
    ['them naming nothing', { _sel: { A: 'y' }, condition: 'all of them' }, 'detection.condition', /"them" names no/],
    ['unbalanced parenthesis', { sel: { A: 'y' }, condition: '(sel' }, 'detection.condition', /expected "\)"/],
    ['dangling operator', { sel: { A: 'y' }, condition: 'sel and' }, 'detection.condition', /expected a search identifier but found the end/],
    ['two identifiers', { sel: { A: 'y' }, condition: 'sel sel' }, 'detection.condition', /unexpected "sel"/],
    ['empty condition', { sel: { A: 'y' }, condition: '  ' }, 'detection.condition', /empty/],
    ['no condition', { sel: { A: 'y' } }, 'detection.condition', /no condition/],
    ['condition not a string', { sel: { A: 'y' }, condition: ['sel', 3] }, 'detection.condition.1', /must be a string/],
    ['detection not a map', ['x'], 'detection', /must be a map/],
    ['invalid regex', { sel: { 'x|re': '(' }, condition: 'sel' }, 'detection.sel.x|re', /invalid regular expression/],
    ['invalid cidr', { sel: { 'x|cidr': '10.0.0.0/33' }, condition: 'sel' }, 'detection.sel.x|cidr', /valid prefix length/],
    ['not an address', { sel: { 'x|cidr': ['10.0.0.0/8', 'nope'] }, condition: 'sel' }, 'detection.sel.x|cidr.1', /not an IPv4 or IPv6/],
    ['cidr on a number', { sel: { 'x|cidr': 10 }, condition: 'sel' }, 'detection.sel.x|cidr', /needs a string, not a number/],
    ['gt on text', { sel: { 'x|gt': 'ten' }, condition: 'sel' }, 'detection.sel.x|gt', /"gt" needs a number/],
    ['exists on text', { sel: { 'x|exists': 'yes' }, condition: 'sel' }, 'detection.sel.x|exists', /true or false/],
    ['exists with a list', { sel: { 'x|exists': [true] }, condition: 'sel' }, 'detection.sel.x|exists', /single true or false/],
    ['re on a number', { sel: { 'x|re': 5 }, condition: 'sel' }, 'detection.sel.x|re', /needs a string/],
    ['a map as a value', { sel: { x: { y: 1 } }, condition: 'sel' }, 'detection.sel.x', /not a map/],
    ['contradicting modes', { sel: { 'x|contains|endswith': 'a' }, condition: 'sel' }, 'detection.sel.x|contains|endswith', /contradict/],
    ['two kinds', { sel: { 'x|re|cidr': 'a' }, condition: 'sel' }, 'detection.sel.x|re|cidr', /cannot be combined/],
    ['flag without re', { sel: { 'x|i': 'a' }, condition: 'sel' }, 'detection.sel.x|i', /must follow it/],
    ['cased with cidr', { sel: { 'x|cidr|cased': '10.0.0.0/8' }, condition: 'sel' }, 'detection.sel.x|cidr|cased', /cannot be used with "cidr"/],
    ['base64offset without contains', { sel: { 'x|base64offset': 'abcd' }, condition: 'sel' }, 'detection.sel.x|base64offset', /needs "contains"/],
    ['base64 of a wildcard', { sel: { 'x|base64': 'a*' }, condition: 'sel' }, 'detection.sel.x|base64', /wildcards cannot be base64-encoded/],
    ['base64offset too short', { sel: { 'x|base64offset|contains': 'a' }, condition: 'sel' }, 'detection.sel.x|base64offset|contains', /too short/],
    ['null with contains', { sel: { 'x|contains': null }, condition: 'sel' }, 'detection.sel.x|contains', /null cannot take modifiers/],
    ['empty value list', { sel: { x: [] }, condition: 'sel' }, 'detection.sel.x', /must not be empty/],
    ['empty map', { sel: {}, condition: 'sel' }, 'detection.sel', /must not be empty/],
    ['mixed list', { sel: [{ x: 1 }, 'kw'], condition: 'sel' }, 'detection.sel', /either only maps/],
    ['null keyword', { kw: ['a', null], condition: 'kw' }, 'detection.kw.1', /keyword must be a string/],
    ['duplicate modifier', { sel: { 'x|contains|contains': 'a' }, condition: 'sel' }, 'detection.sel.x|contains|contains', /twice/],
    ['neq with all', { sel: { 'x|neq|all': ['a', 'b'] }, condition: 'sel' }, 'detection.sel.x|neq|all', /drop "all"/],
    ['two UTF-16 forms', { sel: { 'x|wide|utf16be|base64': 'ab' }, condition: 'sel' }, 'detection.sel.x|wide|utf16be|base64', /"wide" and "utf16be" cannot be combined/],
    ['utf16 with cidr', { sel: { 'x|cidr|utf16le': '10.0.0.0/8' }, condition: 'sel' }, 'detection.sel.x|cidr|utf16le', /cannot be used with "cidr"/],
  ])('mistake: %s', (_, detection, path, message) => {
    const problems = problemsOf(detection);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path, line: 7 });
    expect(problems[0]?.feature).toBeUndefined();
    expect(problems[0]?.message).toMatch(message);
  });

  it('reports every problem of a rule together, with its YAML line', () => {
    const result = compileYamlDetection(
      [
        'title: t',
        'detection:',
        '    selection:',
        "        CommandLine|expand: '%Servers%'",
        "        Image|re: '('",
        '    filter:',
        '        - DestinationIp|cidr: 10.0.0.0/99',
        '        - User|exists: maybe',
        '    condition: selection and not filter and missing',
        '',
      ].join('\n'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(({ path, line, feature }) => ({ path, line, feature }))).toEqual([
      { path: 'detection.selection.CommandLine|expand', line: 4, feature: 'modifier expand' },
      { path: 'detection.selection.Image|re', line: 5, feature: undefined },
      { path: 'detection.filter.0.DestinationIp|cidr', line: 7, feature: undefined },
      { path: 'detection.filter.1.User|exists', line: 8, feature: undefined },
      { path: 'detection.condition', line: 9, feature: undefined },
    ]);
  });

  it('reports every unknown identifier of a condition', () => {
    expect(problemsOf({ sel: { A: 'y' }, condition: 'x or (sel and y)' }).map((problem) => problem.message)).toEqual([
      'condition "x or (sel and y)": "x" is not a search identifier of this rule',
      'condition "x or (sel and y)": "y" is not a search identifier of this rule',
    ]);
  });

  it('uses basePath for paths and lines', () => {
    const seen: (string | number)[][] = [];
    const result = compileDetection({ sel: { 'x|hour': 3 }, condition: 'sel' }, (path) => (seen.push([...path]), 3), ['rules', 2, 'detection']);
    expect(result.ok ? [] : result.problems.map((problem) => problem.path)).toEqual(['rules.2.detection.sel.x|hour']);
    expect(seen).toContainEqual(['rules', 2, 'detection', 'sel', 'x|hour']);
  });
});
