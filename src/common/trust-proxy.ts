/** Fastify's `trustProxy` option as TRUST_PROXY sets it. */
export type TrustProxy = false | 'loopback' | ((address: string, hop: number) => boolean);

/**
 * `false`, `loopback` (trust proxies on 127.0.0.0/8 and ::1) or a hop count. A hop count is
 * given to Fastify as a function: Fastify 5.12 turns a numeric `trustProxy` into "trust nothing",
 * which makes every client behind the proxies one address (one sign-in throttle bucket for all).
 * With n hops `req.ip` is the n-th address counted from the right of the socket's peer followed by
 * X-Forwarded-For read right to left (what the outermost proxy saw), so entries a client forges
 * in front of it change nothing.
 */
export function trustProxyOption(value: string): TrustProxy {
  if (value === 'false') return false;
  if (value === 'loopback') return 'loopback';
  const hops = Number(value);
  return Number.isInteger(hops) && hops > 0 ? (_address, hop) => hop < hops : false;
}
