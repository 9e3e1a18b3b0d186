import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole first schema, written as SQL that runs on SQLite and PostgreSQL alike.
 * Times are ISO 8601 UTC strings (fixed width, so they sort as text on both databases).
 * Responses and answers are WITHOUT ROWID tables on SQLite: their physical order follows the
 * random primary key, so storage order cannot re-link anonymous responses to invitations.
 */
export class Initial1764300000000 implements MigrationInterface {
  name = 'Initial1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.driver.options.type === 'postgres';
    const withoutRowid = pg ? '' : ' WITHOUT ROWID';
    const statements = [
      `CREATE TABLE users (
        id varchar(36) PRIMARY KEY,
        email varchar(320) NOT NULL UNIQUE,
        password_hash varchar(255) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'analyst')),
        created_at varchar(30) NOT NULL
      )`,
      `CREATE TABLE api_tokens (
        token_hash varchar(64) PRIMARY KEY,
        user_id varchar(36) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at varchar(30) NOT NULL,
        created_at varchar(30) NOT NULL
      )`,
      `CREATE INDEX idx_api_tokens_user ON api_tokens(user_id)`,
      `CREATE TABLE sessions (
        id_hash varchar(64) PRIMARY KEY,
        user_id varchar(36) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at varchar(30) NOT NULL,
        last_seen_at varchar(30) NOT NULL,
        expires_at varchar(30) NOT NULL
      )`,
      `CREATE INDEX idx_sessions_user ON sessions(user_id)`,
      `CREATE TABLE settings (
        name varchar(64) PRIMARY KEY,
        value varchar(500) NOT NULL
      )`,
      `CREATE TABLE throttle_counters (
        counter_key varchar(200) PRIMARY KEY,
        window_start bigint NOT NULL,
        hits integer NOT NULL
      )`,
      `CREATE TABLE units (
        id varchar(36) PRIMARY KEY,
        code varchar(64) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        parent_id varchar(36) NULL REFERENCES units(id) ON DELETE RESTRICT,
        created_at varchar(30) NOT NULL,
        updated_at varchar(30) NOT NULL
      )`,
      `CREATE INDEX idx_units_parent ON units(parent_id)`,
      `CREATE TABLE contacts (
        id varchar(36) PRIMARY KEY,
        email varchar(320) NULL UNIQUE,
        name varchar(200) NULL,
        audience varchar(16) NOT NULL CHECK (audience IN ('internal', 'external')),
        unit_id varchar(36) NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
        language varchar(2) NOT NULL DEFAULT 'en',
        opted_out boolean NOT NULL DEFAULT false,
        erased_at varchar(30) NULL,
        created_at varchar(30) NOT NULL,
        updated_at varchar(30) NOT NULL
      )`,
      `CREATE INDEX idx_contacts_unit ON contacts(unit_id)`,
      `CREATE INDEX idx_contacts_audience ON contacts(audience)`,
      `CREATE TABLE campaigns (
        id varchar(36) PRIMARY KEY,
        name varchar(200) NOT NULL,
        audience varchar(16) NOT NULL CHECK (audience IN ('internal', 'external')),
        wave varchar(40) NOT NULL,
        anonymous boolean NOT NULL,
        languages varchar(20) NOT NULL,
        headline varchar(40) NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
        closes_at varchar(30) NULL,
        created_at varchar(30) NOT NULL,
        launched_at varchar(30) NULL,
        closed_at varchar(30) NULL
      )`,
      `CREATE INDEX idx_campaigns_status ON campaigns(status)`,
      `CREATE TABLE questions (
        campaign_id varchar(36) NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        question_key varchar(40) NOT NULL,
        position integer NOT NULL,
        type varchar(10) NOT NULL,
        required boolean NOT NULL,
        multiple boolean NOT NULL DEFAULT false,
        provider_unit_id varchar(36) NULL REFERENCES units(id) ON DELETE RESTRICT,
        text_json text NOT NULL,
        options_json text NULL,
        PRIMARY KEY (campaign_id, question_key)
      )`,
      `CREATE TABLE invitations (
        id varchar(36) PRIMARY KEY,
        campaign_id varchar(36) NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        contact_id varchar(36) NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
        status varchar(10) NOT NULL CHECK (status IN ('created', 'sent', 'opened', 'answered', 'bounced')),
        answered boolean NOT NULL DEFAULT false,
        created_at varchar(30) NOT NULL,
        sent_at varchar(30) NULL,
        opened_at varchar(30) NULL,
        answered_at varchar(30) NULL,
        reminded_at varchar(30) NULL,
        reminders integer NOT NULL DEFAULT 0,
        UNIQUE (campaign_id, contact_id)
      )`,
      `CREATE INDEX idx_invitations_contact ON invitations(contact_id, created_at)`,
      `CREATE TABLE invitation_links (
        token_hash varchar(64) PRIMARY KEY,
        invitation_id varchar(36) NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
        created_at varchar(30) NOT NULL
      )`,
      `CREATE INDEX idx_invitation_links_invitation ON invitation_links(invitation_id)`,
      `CREATE TABLE responses (
        id varchar(36) PRIMARY KEY,
        campaign_id varchar(36) NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        unit_id varchar(36) NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
        invitation_id varchar(36) NULL UNIQUE REFERENCES invitations(id) ON DELETE SET NULL,
        language varchar(2) NOT NULL,
        submitted_at varchar(30) NOT NULL
      )${withoutRowid}`,
      `CREATE INDEX idx_responses_campaign_unit ON responses(campaign_id, unit_id)`,
      `CREATE TABLE answers (
        response_id varchar(36) NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        question_key varchar(40) NOT NULL,
        seq integer NOT NULL,
        campaign_id varchar(36) NOT NULL,
        num_value integer NULL,
        text_value text NULL,
        PRIMARY KEY (response_id, question_key, seq)
      )${withoutRowid}`,
      `CREATE INDEX idx_answers_campaign_question ON answers(campaign_id, question_key)`,
      `CREATE TABLE outbox (
        id varchar(36) PRIMARY KEY,
        campaign_id varchar(36) NULL REFERENCES campaigns(id) ON DELETE SET NULL,
        contact_id varchar(36) NULL REFERENCES contacts(id) ON DELETE SET NULL,
        kind varchar(12) NOT NULL,
        to_address varchar(320) NOT NULL,
        subject varchar(300) NOT NULL,
        body_text text NULL,
        body_html text NULL,
        status varchar(10) NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at varchar(30) NOT NULL,
        locked_until varchar(30) NULL,
        last_error varchar(500) NULL,
        created_at varchar(30) NOT NULL,
        sent_at varchar(30) NULL
      )`,
      `CREATE INDEX idx_outbox_due ON outbox(status, next_attempt_at)`,
      `CREATE INDEX idx_outbox_campaign ON outbox(campaign_id)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'answers',
      'responses',
      'invitation_links',
      'invitations',
      'questions',
      'campaigns',
      'contacts',
      'units',
      'throttle_counters',
      'settings',
      'sessions',
      'api_tokens',
      'users',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
