import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from '../database/db.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { CampaignMailTextEntity } from '../database/schema/campaign-mail-text.entity.js';
import { OrganisationSettingsEntity } from '../database/schema/organisation-settings.entity.js';
import type { MailKind } from './mail-templates.js';

/** The organisation's names and whether it has a logo (never the logo's bytes). */
export interface OrganisationSettings {
  organisationName: string | null;
  senderName: string | null;
  logoType: string | null;
  logoUpdatedAt: string | null;
}

export interface StoredLogo {
  bytes: Buffer;
  type: string;
  updatedAt: string;
}

/** One text a campaign overrides: a (language, kind) pair with its subject and body. */
export interface MailTextRow {
  language: string;
  kind: MailKind;
  subject: string;
  body: string;
}

const EMPTY: OrganisationSettings = {
  organisationName: null,
  senderName: null,
  logoType: null,
  logoUpdatedAt: null,
};

/** Organisation settings (one row, id 1) and campaigns' own mail texts. */
@Injectable()
export class MailSettingsRepository {
  constructor(private readonly db: Db) {}

  async settings(): Promise<OrganisationSettings> {
    const row = await this.db.manager.findOneBy(OrganisationSettingsEntity, { id: 1 });
    if (!row) return { ...EMPTY };
    return {
      organisationName: row.organisationName,
      senderName: row.senderName,
      logoType: row.logoType,
      logoUpdatedAt: row.logoUpdatedAt,
    };
  }

  async saveNames(
    names: { organisationName: string | null; senderName: string | null },
    now: string,
  ): Promise<void> {
    await this.db.write(async (m) => {
      await ensureRow(m, now);
      await m.update(OrganisationSettingsEntity, { id: 1 }, { ...names, updatedAt: now });
    });
  }

  /** The logo's bytes go by SQL: BLOB on SQLite, bytea on PostgreSQL, a Buffer in both drivers. */
  async saveLogo(bytes: Buffer | null, type: string | null, now: string): Promise<void> {
    await this.db.write(async (m) => {
      await ensureRow(m, now);
      const p = placeholders(m);
      await m.query(
        `UPDATE organisation_settings SET logo = ${p(1)}, logo_type = ${p(2)},
           logo_updated_at = ${p(3)}, updated_at = ${p(4)} WHERE id = 1`,
        [bytes, type, bytes ? now : null, now],
      );
    });
  }

  async logo(): Promise<StoredLogo | null> {
    const rows = (await this.db.manager.query(
      `SELECT logo, logo_type, logo_updated_at FROM organisation_settings WHERE id = 1`,
    )) as { logo: Buffer | null; logo_type: string | null; logo_updated_at: string | null }[];
    const row = rows[0];
    if (!row?.logo || !row.logo_type || !row.logo_updated_at) return null;
    return { bytes: Buffer.from(row.logo), type: row.logo_type, updatedAt: row.logo_updated_at };
  }

  findCampaign(id: string): Promise<CampaignEntity | null> {
    return this.db.manager.findOneBy(CampaignEntity, { id });
  }

  campaignTexts(campaignId: string): Promise<CampaignMailTextEntity[]> {
    return this.db.manager.findBy(CampaignMailTextEntity, { campaignId });
  }

  /**
   * Stores `texts` (each replaces that language and kind) and drops the `reset` ones, so they are
   * the built-in texts again; refused (false) when the campaign is gone or closed meanwhile.
   */
  async saveCampaignTexts(
    campaignId: string,
    texts: MailTextRow[],
    reset: { language: string; kind: MailKind }[],
    now: string,
  ): Promise<boolean> {
    return this.db.write(async (m) => {
      const campaign = await m.findOneBy(CampaignEntity, { id: campaignId });
      if (!campaign || campaign.status === 'closed') return false;
      for (const key of [...texts, ...reset]) {
        await m.delete(CampaignMailTextEntity, {
          campaignId,
          language: key.language,
          kind: key.kind,
        });
      }
      if (texts.length)
        await m.insert(
          CampaignMailTextEntity,
          texts.map((t) => ({ campaignId, ...t, updatedAt: now })),
        );
      return true;
    });
  }
}

async function ensureRow(m: EntityManager, now: string): Promise<void> {
  await m
    .createQueryBuilder()
    .insert()
    .into(OrganisationSettingsEntity)
    .values({ id: 1, updatedAt: now })
    .orIgnore()
    .execute();
}

const placeholders = (m: EntityManager) =>
  m.connection.driver.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';
