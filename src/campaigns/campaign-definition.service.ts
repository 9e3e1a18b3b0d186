import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import {
  isDateTime,
  normaliseDateTime,
  validateDefinition,
  type CampaignDefinitionInput,
} from './campaign-definition.js';
import { copyDefinition } from './campaign-builder.js';
import type { CampaignView } from './campaigns.dto.js';
import { CampaignsRepository, type CampaignDefinitionFields } from './campaigns.repository.js';
import { campaignNotFound, CampaignsService, isCampaignId } from './campaigns.service.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';

export const FROZEN = 'questions are frozen once the campaign is open';

const frozen = () => new DomainError(ErrorCode.CampaignFrozen, FROZEN);

interface PreparedDefinition {
  fields: CampaignDefinitionFields;
  questions: (campaignId: string) => QuestionEntity[];
}

/** Creating, replacing (drafts only) and deleting campaign definitions. */
@Injectable()
export class CampaignDefinitionService {
  constructor(
    private readonly repository: CampaignsRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  async create(definition: CampaignDefinitionInput): Promise<CampaignView> {
    const prepared = await this.prepare(definition);
    const campaign: CampaignEntity = {
      id: newId(),
      ...prepared.fields,
      status: 'draft',
      createdAt: iso(),
      launchedAt: null,
      closedAt: null,
    };
    await this.repository.insert(campaign, prepared.questions(campaign.id));
    return this.campaigns.get(campaign.id);
  }

  /**
   * Replaces the whole definition of a draft; an open or closed campaign is frozen (409).
   * `opensAt` is the opening date the draft will have (default: the one it has), which the
   * closing date must follow.
   */
  async replace(
    id: string,
    definition: CampaignDefinitionInput,
    opensAt?: string | null,
  ): Promise<CampaignView> {
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    if (current.status !== 'draft') throw frozen();
    const prepared = await this.prepare(
      definition,
      opensAt === undefined ? (current.opensAt ?? null) : opensAt,
    );
    const replaced = await this.repository.replaceDraftDefinition(
      id,
      prepared.fields,
      prepared.questions(id),
    );
    // Launched (or deleted) between the check and the write.
    if (!replaced) throw (await this.repository.findCampaign(id)) ? frozen() : campaignNotFound();
    return this.campaigns.get(id);
  }

  /**
   * A new draft with the same questions, audience, languages, headline and anonymity for another
   * wave (POST /api/campaigns/:id/copy, "Copy to next wave"). The closing time is not copied.
   */
  async copy(id: string, to: { wave: string; name?: string | null }): Promise<CampaignView> {
    const source = await this.campaigns.get(id);
    const name = to.name?.trim() || renamedForWave(source.name, source.wave, to.wave);
    return this.create(copyDefinition(source, to.wave, name));
  }

  /** Only a draft without responses can be deleted. */
  async remove(id: string): Promise<void> {
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    if (current.status !== 'draft')
      throw new DomainError(ErrorCode.CampaignNotDraft, 'only draft campaigns can be deleted');
    if (await this.repository.deleteUnansweredDraft(id)) return;
    throw (await this.repository.findCampaign(id))
      ? new DomainError(
          ErrorCode.CampaignHasResponses,
          'only draft campaigns without responses can be deleted',
        )
      : campaignNotFound();
  }

  /** Validates every cross-field rule (all problems at once) and builds the rows to store. */
  private async prepare(
    def: CampaignDefinitionInput,
    opensAt: string | null = null,
  ): Promise<PreparedDefinition> {
    const providerCodes = def.questions
      .map((q) => q.providerUnitCode)
      .filter((c): c is string => typeof c === 'string');
    const unitIds = await this.repository.unitIdsByCode(providerCodes);
    const errors = validateDefinition(def, {
      now: iso(),
      opensAt: opensAt && isDateTime(opensAt) ? normaliseDateTime(opensAt) : null,
      unitCodes: new Set(unitIds.keys()),
    });
    if (errors.length) throw invalid('The campaign definition is not valid', errors);

    const fields: CampaignDefinitionFields = {
      name: def.name.trim(),
      audience: def.audience,
      wave: def.wave,
      anonymous: def.anonymous ?? def.audience === 'internal',
      languages: def.languages.join(','),
      headline: def.headline,
      closesAt: def.closesAt ? normaliseDateTime(def.closesAt) : null,
    };
    const pick = (texts: object): Record<string, string> =>
      Object.fromEntries(def.languages.map((l) => [l, (texts as Record<string, string>)[l]]));
    const questions = (campaignId: string): QuestionEntity[] =>
      def.questions.map((q, position) => ({
        campaignId,
        key: q.key,
        position,
        type: q.type,
        required: q.required ?? false,
        multiple: q.type === 'choice' ? (q.multiple ?? false) : false,
        providerUnitId: q.providerUnitCode ? (unitIds.get(q.providerUnitCode) ?? null) : null,
        textJson: JSON.stringify(pick(q.text)),
        optionsJson:
          q.type === 'choice'
            ? JSON.stringify(
                (q.options ?? []).map((o) => ({ value: o.value, label: pick(o.label) })),
              )
            : null,
      }));
    return { fields, questions };
  }
}

/** "Service 2026-Q1" copied to 2026-Q2 is "Service 2026-Q2"; a name without the wave gets it added. */
export function renamedForWave(name: string, from: string, to: string): string {
  const renamed = from && name.includes(from) ? name.split(from).join(to) : `${name} ${to}`;
  return renamed.length <= 200 ? renamed : name;
}
