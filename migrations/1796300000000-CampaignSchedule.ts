import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 8: the campaign schedule (opening date, closing date, automatic reminder plan). */
export class CampaignSchedule1796300000000 implements MigrationInterface {
  name = 'CampaignSchedule1796300000000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
