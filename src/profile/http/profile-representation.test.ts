import { describe, expect, it } from 'vitest';
import { seenVersionFrom } from './profile-representation.ts';

describe('seenVersionFrom (If-None-Match)', () => {
  it('is undefined without the header, or when it is malformed', () => {
    expect(seenVersionFrom(undefined)).toBeUndefined();
    expect(seenVersionFrom('3')).toBeUndefined();
    expect(seenVersionFrom('"3", nonsense')).toBeUndefined();
  });

  it('takes the version of one tag, weak or strong', () => {
    expect(seenVersionFrom('"3"')).toBe(3);
    expect(seenVersionFrom('W/"4"')).toBe(4);
  });

  it('takes the newest of several versions', () => {
    expect(seenVersionFrom('"2", W/"7", "5"')).toBe(7);
  });

  it('ignores tags the service never issued', () => {
    expect(seenVersionFrom('"abc"')).toBeUndefined();
    expect(seenVersionFrom('"0", "01", "12345678901"')).toBeUndefined();
    expect(seenVersionFrom('"abc", "6"')).toBe(6);
  });

  it('takes * as having seen the profile exist: version 1', () => {
    expect(seenVersionFrom('*')).toBe(1);
  });
});
