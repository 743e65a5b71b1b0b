import { describe, expect, it } from 'vitest';
import { formatStrongTag, parseEntityTagCondition, strongMatch, weakMatch } from './entity-tag.ts';

describe('entity tags', () => {
  it('formats strong tags', () => {
    expect(formatStrongTag('7')).toBe('"7"');
  });

  it('parses *, single tags and lists with weak tags', () => {
    expect(parseEntityTagCondition('*')).toEqual({ kind: 'any' });
    expect(parseEntityTagCondition('"7"')).toEqual({ kind: 'list', tags: [{ weak: false, opaque: '7' }] });
    expect(parseEntityTagCondition(' "a" , W/"b"')).toEqual({
      kind: 'list',
      tags: [
        { weak: false, opaque: 'a' },
        { weak: true, opaque: 'b' },
      ],
    });
  });

  it('treats absent and malformed headers as no condition', () => {
    expect(parseEntityTagCondition(undefined)).toBeUndefined();
    expect(parseEntityTagCondition('7')).toBeUndefined();
    expect(parseEntityTagCondition('"7", junk')).toBeUndefined();
    expect(parseEntityTagCondition('')).toBeUndefined();
    expect(parseEntityTagCondition('"a"b"')).toBeUndefined();
  });

  it('compares strongly for If-Match and weakly for If-None-Match', () => {
    const weakSeven = parseEntityTagCondition('W/"7"')!;
    expect(strongMatch(weakSeven, '7')).toBe(false);
    expect(weakMatch(weakSeven, '7')).toBe(true);
    const list = parseEntityTagCondition('"6", "7"')!;
    expect(strongMatch(list, '7')).toBe(true);
    expect(strongMatch(list, '8')).toBe(false);
    expect(strongMatch({ kind: 'any' }, 'whatever')).toBe(true);
  });
});
