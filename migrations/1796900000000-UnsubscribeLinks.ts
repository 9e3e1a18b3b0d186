import { createHash, randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const UNSUBSCRIBE_PATH = /\/unsubscribe\/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const PAGE = 500;

/**
 * A separate opt-out token per mail (issue 10): `unsubscribe_links` holds the SHA-256 of each
 * mail's unsubscribe token, as `invitation_links` holds the survey token's. Until now the mail's
 * unsubscribe link and its List-Unsubscribe header carried the survey token, so a mail gateway
 * that handles the header held a token that answers the survey.
 *
 * Mails still waiting to be sent (queued or sending) get a fresh unsubscribe token here: their
 * stored bodies are rewritten, so no mail leaves after the upgrade with the survey token in its
 * unsubscribe link or header. Mails sent before keep working through the unsubscribe page
 * (GET shows a button, the CSRF-protected POST opts out), which still accepts a survey token;
 * the one-click POST `/api/unsubscribe/:token` accepts only unsubscribe tokens.
 */
export class UnsubscribeLinks1796900000000 implements MigrationInterface {
  name = 'UnsubscribeLinks1796900000000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.driver.options.type === 'better-sqlite3';
    const p = (n: number) => (sqlite ? '?' : `$${n}`);
    await q.query(
      `CREATE TABLE unsubscribe_links (
        token_hash varchar(64) PRIMARY KEY,
        invitation_id varchar(36) NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
        created_at varchar(30) NOT NULL
      )`,
    );
    await q.query(
      `CREATE INDEX idx_unsubscribe_links_invitation ON unsubscribe_links(invitation_id)`,
    );

    const now = new Date().toISOString();
    let after = '';
    for (;;) {
      const rows = (await q.query(
        `SELECT o.id AS id, o.body_text AS body_text, o.body_html AS body_html, i.id AS invitation_id
         FROM outbox o JOIN invitations i ON i.campaign_id = o.campaign_id AND i.contact_id = o.contact_id
         WHERE o.status IN ('queued', 'sending') AND o.id > ${p(1)}
         ORDER BY o.id LIMIT ${PAGE}`,
        [after],
      )) as Array<{
        id: string;
        body_text: string | null;
        body_html: string | null;
        invitation_id: string;
      }>;
      if (!rows.length) break;
      for (const row of rows) {
        const bodies = `${row.body_text ?? ''}\n${row.body_html ?? ''}`;
        if (bodies.search(UNSUBSCRIBE_PATH) < 0) continue;
        const token = randomBytes(32).toString('base64url');
        const hash = createHash('sha256').update(token).digest('hex');
        await q.query(
          `INSERT INTO unsubscribe_links (token_hash, invitation_id, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
          [hash, row.invitation_id, now],
        );
        const swap = (body: string | null) =>
          body === null ? null : body.replace(UNSUBSCRIBE_PATH, `/unsubscribe/${token}`);
        await q.query(
          `UPDATE outbox SET body_text = ${p(1)}, body_html = ${p(2)} WHERE id = ${p(3)}`,
          [swap(row.body_text), swap(row.body_html), row.id],
        );
      }
      after = rows[rows.length - 1].id;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unsubscribe_links`);
  }
}
