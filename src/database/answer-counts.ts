/**
 * The answer counts every report and linkage figure is added up from, kept current inside the
 * answering transaction (table `answer_counts`, migration 1796500000000-AnswerCounts) so that no
 * read has to GROUP BY the answers. One row per (campaign, respondent unit, kind, question, value):
 *
 * - `resp`: the unit's responses (question '' and value '').
 * - `num`:  answers of a numeric question with that value (`num_value` as text; always seq 0).
 * - `text`: answers of a choice question with that option (every seq of a multiple choice).
 * - `said`: responses with at least one non-empty text answer to the question (value '').
 * - `prov`: responses whose numeric answers (seq 0) rated exactly that set of provider units
 *   (question ''; value the provider unit ids, sorted, comma-separated). Distinct respondents of
 *   any group of providers are the sum over the sets that meet the group: exact, for any roll-up.
 *
 * Answers are never deleted or changed once written (erasure only unlinks responses from their
 * invitation; only a draft without responses can be deleted, and its rows would go by ON DELETE
 * CASCADE), so the counts only ever grow. `recountAnswerCounts` rebuilds a campaign's rows from the
 * answers: for rows written around the answering path (test factories, the benchmark's generator).
 */
import type Database from 'better-sqlite3';
import type { EntityManager } from 'typeorm';

export type AnswerCountKind = 'resp' | 'num' | 'text' | 'said' | 'prov';

export interface AnswerCountKey {
  kind: AnswerCountKind;
  questionKey: string;
  value: string;
}

/** What the counts need of a question. */
export interface CountedQuestion {
  key: string;
  type: string;
  providerUnitId: string | null;
}

/** What the counts need of an answer row. */
export interface CountedAnswer {
  questionKey: string;
  seq: number;
  numValue: number | null;
  textValue: string | null;
}

/**
 * The rows one new response adds 1 to: unique keys in a fixed order (so concurrent PostgreSQL
 * transactions lock shared rows in the same order and cannot deadlock).
 */
export function answerCountKeys(
  answers: readonly CountedAnswer[],
  questions: readonly CountedQuestion[],
): AnswerCountKey[] {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const keys = new Map<string, AnswerCountKey>();
  const add = (kind: AnswerCountKind, questionKey: string, value: string) =>
    keys.set(`${kind}\u0000${questionKey}\u0000${value}`, { kind, questionKey, value });
  add('resp', '', '');
  const providers = new Set<string>();
  for (const a of answers) {
    const q = byKey.get(a.questionKey);
    if (a.numValue !== null) {
      add('num', a.questionKey, String(a.numValue));
      if (a.seq === 0 && q?.providerUnitId) providers.add(q.providerUnitId);
    }
    if (a.textValue !== null) {
      if (q?.type === 'choice') add('text', a.questionKey, a.textValue);
      if (a.textValue !== '') add('said', a.questionKey, '');
    }
  }
  if (providers.size) add('prov', '', [...providers].sort().join(','));
  return [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
}

const UPSERT_TAIL = `ON CONFLICT (campaign_id, kind, question_key, unit_id, value)
  DO UPDATE SET n = answer_counts.n + excluded.n`;

/** SQLite: one prepared upsert, run once per key inside the submission's transaction. */
export function prepareAnswerCountUpsert(raw: Database.Database): Database.Statement {
  return raw.prepare(
    `INSERT INTO answer_counts (campaign_id, kind, question_key, unit_id, value, n)
     VALUES (?, ?, ?, ?, ?, 1) ${UPSERT_TAIL}`,
  );
}

export function addAnswerCountsSqlite(
  upsert: Database.Statement,
  campaignId: string,
  unitId: string,
  keys: readonly AnswerCountKey[],
): void {
  for (const k of keys) upsert.run(campaignId, k.kind, k.questionKey, unitId, k.value);
}

/** PostgreSQL: one multi-row upsert inside the submission's transaction. */
export async function addAnswerCountsPostgres(
  m: EntityManager,
  campaignId: string,
  unitId: string,
  keys: readonly AnswerCountKey[],
): Promise<void> {
  if (!keys.length) return;
  const values: unknown[] = [campaignId, unitId];
  const tuples = keys.map((k) => {
    values.push(k.kind, k.questionKey, k.value);
    const b = values.length - 3;
    return `($1, $${b + 1}, $${b + 2}, $2, $${b + 3}, 1)`;
  });
  await m.query(
    `INSERT INTO answer_counts (campaign_id, kind, question_key, unit_id, value, n)
     VALUES ${tuples.join(', ')} ${UPSERT_TAIL}`,
    values,
  );
}

/**
 * The recount of `answer_counts` from the answers, as one SELECT of (campaign_id, kind,
 * question_key, unit_id, value, n); `filter` is an SQL condition on a campaign id column `cid`
 * placeholder-free text (e.g. `IN (?, ?)`), or '' for every campaign. The migration holds a frozen
 * copy of this text.
 */
export function answerCountsRecountSql(isSqlite: boolean, filter: string): string {
  const where = (col: string) => (filter ? `${col} ${filter}` : '1 = 1');
  const providerSet = isSqlite
    ? "group_concat(d.provider, ',' ORDER BY d.provider)"
    : `string_agg(d.provider, ',' ORDER BY d.provider COLLATE "C")`;
  return `
    SELECT campaign_id, 'resp' AS kind, '' AS question_key, unit_id, '' AS value, COUNT(*) AS n
      FROM responses WHERE ${where('campaign_id')} GROUP BY campaign_id, unit_id
    UNION ALL
    SELECT a.campaign_id, 'num', a.question_key, r.unit_id, CAST(a.num_value AS TEXT), COUNT(*)
      FROM answers a JOIN responses r ON r.id = a.response_id
     WHERE ${where('a.campaign_id')} AND a.num_value IS NOT NULL
     GROUP BY a.campaign_id, a.question_key, r.unit_id, a.num_value
    UNION ALL
    SELECT a.campaign_id, 'text', a.question_key, r.unit_id, a.text_value, COUNT(*)
      FROM answers a JOIN responses r ON r.id = a.response_id
      JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
     WHERE ${where('a.campaign_id')} AND a.text_value IS NOT NULL AND q.type = 'choice'
     GROUP BY a.campaign_id, a.question_key, r.unit_id, a.text_value
    UNION ALL
    SELECT a.campaign_id, 'said', a.question_key, r.unit_id, '', COUNT(DISTINCT a.response_id)
      FROM answers a JOIN responses r ON r.id = a.response_id
     WHERE ${where('a.campaign_id')} AND a.text_value IS NOT NULL AND a.text_value <> ''
     GROUP BY a.campaign_id, a.question_key, r.unit_id
    UNION ALL
    SELECT s.campaign_id, 'prov', '', s.unit_id, s.providers, COUNT(*)
      FROM (SELECT d.campaign_id AS campaign_id, d.unit_id AS unit_id, ${providerSet} AS providers
              FROM (SELECT DISTINCT a.campaign_id AS campaign_id, r.unit_id AS unit_id,
                           a.response_id AS response_id, q.provider_unit_id AS provider
                      FROM answers a JOIN responses r ON r.id = a.response_id
                      JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
                     WHERE ${where('a.campaign_id')} AND q.provider_unit_id IS NOT NULL
                       AND a.seq = 0 AND a.num_value IS NOT NULL) d
             GROUP BY d.campaign_id, d.unit_id, d.response_id) s
     GROUP BY s.campaign_id, s.unit_id, s.providers`;
}

/**
 * Rebuilds the counts of the given campaigns from their answers, inside the caller's write
 * transaction (`Db.write`). For rows inserted around the answering path only.
 */
export async function recountAnswerCounts(
  m: EntityManager,
  campaignIds: readonly string[],
): Promise<void> {
  if (!campaignIds.length) return;
  const isSqlite = m.connection.options.type === 'better-sqlite3';
  const ph = (from: number) =>
    campaignIds.map((_, i) => (isSqlite ? '?' : `$${from + i}`)).join(', ');
  await m.query(`DELETE FROM answer_counts WHERE campaign_id IN (${ph(1)})`, [...campaignIds]);
  // SQLite numbers `?` by position, so the list repeats once per UNION branch; PostgreSQL reuses $1….
  const filter = `IN (${ph(1)})`;
  const params = isSqlite ? Array<readonly string[]>(5).fill(campaignIds).flat() : [...campaignIds];
  await m.query(
    `INSERT INTO answer_counts (campaign_id, kind, question_key, unit_id, value, n)
     ${answerCountsRecountSql(isSqlite, filter)}`,
    params,
  );
}
