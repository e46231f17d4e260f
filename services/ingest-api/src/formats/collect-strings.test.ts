import { describe, expect, it } from 'vitest';
import { collectStrings } from './collect-strings.ts';

describe('collectStrings', () => {
  it('reads the flat ECS shape and the nested Kibana shape alike', () => {
    expect(collectStrings({ technique: { id: ['T1059', 'T1190'] } }, 'technique.id')).toEqual(['T1059', 'T1190']);
    expect(collectStrings([{ technique: [{ id: 'T1059' }, { id: 'T1190' }] }], 'technique.id')).toEqual(['T1059', 'T1190']);
  });

  it('skips values that are not usable strings', () => {
    expect(collectStrings({ technique: { id: [42, '', ' T1 ', null, 'a\u0000b'] } }, 'technique.id')).toEqual(['T1']);
    expect(collectStrings('T1059', 'technique.id')).toEqual([]);
    expect(collectStrings(undefined, 'technique.id')).toEqual([]);
  });
});
