import { throttleAddress } from './client-address.js';

describe('throttleAddress', () => {
  it('counts IPv6 clients by their /64 and IPv4 clients by their address', () => {
    expect(throttleAddress('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8:1:2::ffff')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:DB8:0001:0002:abcd::1')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
    expect(throttleAddress('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
    expect(throttleAddress('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(throttleAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(throttleAddress('not an address')).toBe('not an address');
  });
});
