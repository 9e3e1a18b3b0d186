import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';

/** `__Host-` cookies must be Secure; over plain HTTP (local use) the plain name is used. */
export const sessionCookieName = (config: AppConfig): string =>
  secureCookies(config) ? '__Host-specchio_sid' : 'specchio_sid';

export const secureCookies = (config: AppConfig): boolean =>
  config.publicUrl.startsWith('https://');

export function readSessionCookie(config: AppConfig, request: FastifyRequest): string | undefined {
  const value = (request.cookies as Record<string, string | undefined> | undefined)?.[
    sessionCookieName(config)
  ];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}

export function setSessionCookie(config: AppConfig, reply: FastifyReply, secret: string): void {
  void reply.setCookie(sessionCookieName(config), secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(config),
  });
}

export function clearSessionCookie(config: AppConfig, reply: FastifyReply): void {
  void reply.clearCookie(sessionCookieName(config), { path: '/', secure: secureCookies(config) });
}
