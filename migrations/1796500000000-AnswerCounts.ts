import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `answer_counts`: the per-campaign, per-unit, per-question, per-value counts the reports and the
 * linkage read instead of grouping the answers (src/database/answer-counts.ts has the meaning of
 * each kind; the answering transaction keeps them current). Back-filled here from the answers
 * with a frozen copy of `answerCountsRecountSql`.
 */
export class AnswerCounts1796500000000 implements MigrationInterface {
  name = 'AnswerCounts1796500000000';

  async up(q: QueryRunner): Promise<void> {
    const isSqlite = q.connection.driver.options.type === 'better-sqlite3';
    await q.query(`CREATE TABLE answer_counts (
        campaign_id varchar(36) NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        kind varchar(4) NOT NULL,
        question_key varchar(40) NOT NULL,
        unit_id varchar(36) NOT NULL,
        value text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (campaign_id, kind, question_key, unit_id, value)
      )${isSqlite ? ' WITHOUT ROWID' : ''}`);
    const providerSet = isSqlite
      ? "group_concat(d.provider, ',' ORDER BY d.provider)"
      : `string_agg(d.provider, ',' ORDER BY d.provider COLLATE "C")`;
    await q.query(`INSERT INTO answer_counts (campaign_id, kind, question_key, unit_id, value, n)
      SELECT campaign_id, 'resp' AS kind, '' AS question_key, unit_id, '' AS value, COUNT(*) AS n
        FROM responses GROUP BY campaign_id, unit_id
      UNION ALL
      SELECT a.campaign_id, 'num', a.question_key, r.unit_id, CAST(a.num_value AS TEXT), COUNT(*)
        FROM answers a JOIN responses r ON r.id = a.response_id
       WHERE a.num_value IS NOT NULL
       GROUP BY a.campaign_id, a.question_key, r.unit_id, a.num_value
      UNION ALL
      SELECT a.campaign_id, 'text', a.question_key, r.unit_id, a.text_value, COUNT(*)
        FROM answers a JOIN responses r ON r.id = a.response_id
        JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
       WHERE a.text_value IS NOT NULL AND q.type = 'choice'
       GROUP BY a.campaign_id, a.question_key, r.unit_id, a.text_value
      UNION ALL
      SELECT a.campaign_id, 'said', a.question_key, r.unit_id, '', COUNT(DISTINCT a.response_id)
        FROM answers a JOIN responses r ON r.id = a.response_id
       WHERE a.text_value IS NOT NULL AND a.text_value <> ''
       GROUP BY a.campaign_id, a.question_key, r.unit_id
      UNION ALL
      SELECT s.campaign_id, 'prov', '', s.unit_id, s.providers, COUNT(*)
        FROM (SELECT d.campaign_id AS campaign_id, d.unit_id AS unit_id, ${providerSet} AS providers
                FROM (SELECT DISTINCT a.campaign_id AS campaign_id, r.unit_id AS unit_id,
                             a.response_id AS response_id, q.provider_unit_id AS provider
                        FROM answers a JOIN responses r ON r.id = a.response_id
                        JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
                       WHERE q.provider_unit_id IS NOT NULL AND a.seq = 0 AND a.num_value IS NOT NULL) d
               GROUP BY d.campaign_id, d.unit_id, d.response_id) s
       GROUP BY s.campaign_id, s.unit_id, s.providers`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE answer_counts');
  }
}
