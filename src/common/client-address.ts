import { isIPv4, isIPv6 } from 'node:net';

/**
 * The bucket a client address is throttled under. An IPv4 address is its own bucket (an
 * IPv4-mapped IPv6 address `::ffff:a.b.c.d` is the IPv4 address); an IPv6 address counts by its
 * /64 prefix, the smallest block an ISP gives one subscriber, so a client cannot mint a new bucket
 * per request from its own /64. Anything else is kept as it is.
 */
export function throttleAddress(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  const hextets = expandIPv6(address);
  return `${hextets.slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of a valid IPv6 address, lower case, without leading zeros. */
function expandIPv6(address: string): string[] {
  // A trailing dotted IPv4 part stands for two hextets.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  let text = address;
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text =
      address.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((h) => parseInt(h, 16).toString(16));
}
