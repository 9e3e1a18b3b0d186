import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for paging a campaign's responses in id order (the streamed CSV export) and for finding
 * a campaign's answers by response. Without them SQLite re-reads every response and answer of the
 * campaign for each page, so an export grows with the square of the campaign size.
 */
export class ReportIndexes1764400000000 implements MigrationInterface {
  name = 'ReportIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX idx_responses_campaign_id ON responses(campaign_id, id)');
    await q.query(
      'CREATE INDEX idx_answers_campaign_response ON answers(campaign_id, response_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_answers_campaign_response');
    await q.query('DROP INDEX idx_responses_campaign_id');
  }
}
