import type { FastifyRequest } from 'fastify';
import { loggedPath, requestLogger } from './request-log.js';

const req = (url: string, route?: string) =>
  ({ url, routeOptions: { url: route } }) as unknown as FastifyRequest;

describe('loggedPath', () => {
  it('is the matched route pattern, never the URL with its token or query', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    expect(loggedPath(req(`/s/${token}?lang=it`, '/s/:token'))).toBe('/s/:token');
  });

  it('masks token-like segments and addresses of an unknown URL and drops its query', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    expect(loggedPath(req(`/s/${token}/extra?email=ada@example.com`))).toBe('/s/:redacted/extra');
    expect(loggedPath(req('/contacts/ada%40example.com/x'))).toBe('/contacts/:redacted/x');
    expect(loggedPath(req('/nope/short'))).toBe('/nope/short');
  });
});

describe('requestLogger', () => {
  it('logs requests at info from LOG_LEVEL=log and not at all when silent', () => {
    expect(requestLogger('silent', undefined)).toBe(false);
    expect(requestLogger('log', undefined)).toMatchObject({ level: 'info' });
    expect(requestLogger('warn', undefined)).toMatchObject({ level: 'warn' });
  });
});
