import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8: per-campaign e-mail texts per language, sender name, organisation name and logo.
 * organisation_settings holds one row (id = 1) made on first save; the logo's bytes live in the
 * database (BLOB / bytea) so a backup of the database is a backup of everything.
 * campaign_mail_texts holds only the texts an admin changed: a missing row means the built-in one.
 */
export class MailSettings1796400000000 implements MigrationInterface {
  name = 'MailSettings1796400000000';

  async up(q: QueryRunner): Promise<void> {
    const bytes = q.connection.driver.options.type === 'postgres' ? 'bytea' : 'blob';
    await q.query(
      `CREATE TABLE organisation_settings (
        id integer PRIMARY KEY CHECK (id = 1),
        organisation_name varchar(120) NULL,
        sender_name varchar(80) NULL,
        logo ${bytes} NULL,
        logo_type varchar(20) NULL,
        logo_updated_at varchar(30) NULL,
        updated_at varchar(30) NOT NULL
      )`,
    );
    await q.query(
      `CREATE TABLE campaign_mail_texts (
        campaign_id varchar(36) NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        language varchar(8) NOT NULL,
        kind varchar(12) NOT NULL,
        subject varchar(300) NOT NULL,
        body text NOT NULL,
        updated_at varchar(30) NOT NULL,
        PRIMARY KEY (campaign_id, language, kind)
      )`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_mail_texts`);
    await q.query(`DROP TABLE organisation_settings`);
  }
}
