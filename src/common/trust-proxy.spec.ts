import Fastify from 'fastify';
import { trustProxyOption } from './trust-proxy.js';

/** The client address Fastify derives for a request from 127.0.0.1 with this X-Forwarded-For. */
async function clientIp(trustProxy: string, forwardedFor?: string): Promise<string> {
  const app = Fastify({ trustProxy: trustProxyOption(trustProxy) });
  app.get('/', (req) => ({ ip: req.ip }));
  const res = await app.inject({
    url: '/',
    remoteAddress: '127.0.0.1',
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });
  await app.close();
  return (res.json() as { ip: string }).ip;
}

describe('TRUST_PROXY', () => {
  it('takes the address the n-th proxy saw, whatever a client forges in front of it; off ignores the header', async () => {
    expect(await clientIp('1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await clientIp('1', '10.1.2.3, 6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(await clientIp('2', '10.1.2.3, 203.0.113.9, 192.0.2.1')).toBe('203.0.113.9');
    expect(await clientIp('1')).toBe('127.0.0.1');
    // Off: X-Forwarded-For is ignored; loopback: only loopback peers are trusted.
    expect(await clientIp('false', '203.0.113.9')).toBe('127.0.0.1');
    expect(await clientIp('0', '203.0.113.9')).toBe('127.0.0.1');
    expect(await clientIp('loopback', '10.1.2.3, 203.0.113.9')).toBe('203.0.113.9');
  });
});
