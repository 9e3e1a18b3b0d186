import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ADMIN, type TestApp } from './app.js';
import type { Credentials } from './auth.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests run where Debian's Chromium is installed; CI installs it and sets REQUIRE_CHROMIUM=1. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_CHROMIUM === '1')
    throw new Error(`REQUIRE_CHROMIUM=1 but ${CHROMIUM} is missing`);
  console.warn(`*** ${CHROMIUM} not found: browser tests are SKIPPED (apt-get install chromium).`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Makes the test app listen on a free local port; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/** Fills in and submits the sign-in form the page shows. */
export async function submitSignIn(page: Page, who: Credentials = ADMIN): Promise<void> {
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the sign-in page at `base`, signs in and waits until the browser has left /login. */
export async function signIn(page: Page, base: string, who: Credentials = ADMIN): Promise<void> {
  await page.goto(`${base}/login`);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    submitSignIn(page, who),
  ]);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.2 AA tags every browser spec runs axe-core with. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * Injects axe-core into the page (through DevTools, so the app's CSP stays on) and runs it with
 * the WCAG 2.2 AA tags: its violations and how many checks passed (proof that it ran).
 */
export async function axeRun(page: Page): Promise<{ violations: Violation[]; passed: number }> {
  await page.evaluate(AXE);
  return page.evaluate(
    (tags) =>
      (
        globalThis as unknown as {
          axe: { run(o: unknown): Promise<{ violations: Violation[]; passes: unknown[] }> };
        }
      ).axe
        .run({ runOnly: { type: 'tag', values: tags } })
        .then((r) => ({ violations: r.violations, passed: r.passes.length })),
    AXE_TAGS,
  );
}

/** The serious and critical violations, one line each: id, impact, help and the first targets. */
export function seriousLines(violations: Violation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}) ${v.help} — ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
    );
}

/** Serious or critical WCAG 2.2 AA violations axe-core finds on the page, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  return seriousLines((await axeRun(page)).violations);
}
