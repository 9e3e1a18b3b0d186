import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Page, Response } from 'playwright-core';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { runMigrations } from '../../src/database/migrate.js';
import { type DbKind, freshDatabase } from './app.js';
import { axeRun, seriousLines } from './browser.js';

/**
 * Issue 8's "Proof": one browser journey per role on a fresh database, with a full-page screenshot
 * of every page it visits (test-artifacts/journey/<role>/<NN>-<slug>.png) and axe-core on each.
 */

export const ARTIFACTS = resolve(process.cwd(), 'test-artifacts', 'journey');

/** The app on an EMPTY database: no ADMIN_EMAIL, so the first admin is made on /setup. */
export async function startEmptyApp(
  kind: DbKind = 'sqlite',
): Promise<{ app: NestFastifyApplication; base: string; close(): Promise<void> }> {
  const db = await freshDatabase(kind);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    PUBLIC_URL: 'http://survey.test',
    LOG_LEVEL: 'error',
    MAIL_POLL_MS: '100',
  });
  await runMigrations(config);
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app,
    base,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Serious or critical WCAG 2.2 AA violations on the page, one line each; throws if axe did not run. */
export async function seriousOnPage(page: Page, name: string): Promise<string[]> {
  const { violations, passed } = await axeRun(page);
  if (passed < 5) throw new Error(`${name}: axe-core ran only ${passed} passing checks`);
  return seriousLines(violations).map((v) => `${name}: ${v}`);
}

/** One role's pages: numbered screenshots in its own folder, and axe on each. */
export class JourneyLog {
  private n = 0;
  readonly dir: string;
  readonly shots: string[] = [];

  constructor(
    readonly role: string,
    private readonly found: string[],
  ) {
    this.dir = join(ARTIFACTS, role);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Empties the notes shared by the roles (kept in the artifacts folder, beside the roles'). */
  static resetNotes(): void {
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(join(ARTIFACTS, 'english-on-italian-pages.txt'), { force: true });
  }

  /** Screenshots the page as it is now (full page) and runs axe on it. */
  async record(page: Page, slug: string): Promise<void> {
    this.n += 1;
    const file = join(this.dir, `${String(this.n).padStart(2, '0')}-${slug}.png`);
    await page.screenshot({ path: file, fullPage: true });
    this.shots.push(relative(process.cwd(), file));
    this.found.push(...(await seriousOnPage(page, `${this.role}/${slug} ${page.url()}`)));
    const english = await englishOnItalianPage(page);
    if (english.length)
      appendFileSync(
        join(ARTIFACTS, 'english-on-italian-pages.txt'),
        `${this.role}/${String(this.n).padStart(2, '0')}-${slug}: ${english.join(' | ')}\n`,
      );
  }
}

/** Common English words that should not be on a page whose language is Italian. */
const ENGLISH =
  /\b(the|and|of|your|you|this|with|for|not|yet|is|are|was|will|be|or|to|from|Save|Back|Edit|Delete|Cancel|Preview|Add|Remove|Invited|Responses|Close|Launch|Copy|Search|Filter|Page|Status|Created|Sent|Required|Optional|Question|Answer)\b/;

/**
 * On an Italian page, the visible text nodes (outside elements marked lang="en", inputs and code)
 * that contain a common English word: a heuristic list for a person to read, never a failure
 * (names of campaigns and answers typed by people may be English).
 */
export async function englishOnItalianPage(page: Page): Promise<string[]> {
  if ((await page.getAttribute('html', 'lang')) !== 'it') return [];
  const texts = await page.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const t = n.textContent.replace(/\\s+/g, ' ').trim();
      if (!t || !el || el.closest('[lang]:not([lang="it"]), code, pre, textarea, script, style, bdi')) continue;
      if (!el.checkVisibility || el.checkVisibility()) out.push(t);
    }
    return out;
  })()`);
  return [...new Set((texts as string[]).filter((t) => ENGLISH.test(t)))].slice(0, 20);
}

/** Fails with the page's URL, status and start of its text when a navigation did not give 2xx. */
export function expectOk(res: Response | null, what: string): void {
  const status = res?.status() ?? 0;
  if (status < 200 || status >= 300)
    throw new Error(`${what}: HTTP ${status} at ${res?.url() ?? '(no response)'}`);
}

/** The page language both ways: `en|it` alternatives for the few texts a test must read. */
export const EN_IT = (en: string, it: string) => new RegExp(`${en}|${it}`, 'i');
