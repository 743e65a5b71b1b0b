import { describe, expect, it } from 'vitest';
import { addressKey } from './address-key.ts';

describe('addressKey', () => {
  it('keeps an IPv4 address, mapped or not', () => {
    expect(addressKey('192.0.2.10')).toBe('192.0.2.10');
    expect(addressKey('::ffff:192.0.2.10')).toBe('192.0.2.10');
  });

  it('reduces an IPv6 address to its /64, however it is written', () => {
    const expected = '2001:db8:0:1::/64';
    expect(addressKey('2001:db8:0:1::1')).toBe(expected);
    expect(addressKey('2001:0DB8:0000:0001:abcd:ef01:2345:6789')).toBe(expected);
    expect(addressKey('2001:db8::1:0:0:0:5')).toBe(expected);
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    expect(addressKey('unix-socket')).toBe('unix-socket');
  });
});
