// Signing in for tests through the login form. Bearer tokens: startApp's adminToken, createAnalyst.
import request from 'supertest';
import { ADMIN, type TestApp } from './app.js';

export interface Credentials {
  email: string;
  password: string;
}

/** A supertest agent: keeps the cookies (session, CSRF secret) between requests. */
export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token of the first form on a page. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * Signs in through the login form (session cookie + CSRF token) and returns the agent, signed in.
 * Pass `agent` to sign in one that already made requests.
 */
export async function signIn(
  t: TestApp,
  who: Credentials = ADMIN,
  agent: Agent = request.agent(t.app.getHttpServer()),
): Promise<Agent> {
  const page = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfOf(page.text), ...who })
    .expect(303);
  return agent;
}
