import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { iso } from '../common/clock.js';
import { invalid } from '../common/domain-error.js';
import { validateDefinition, type CampaignDefinitionInput } from './campaign-definition.js';
import { validateStrictly } from '../common/validation.js';
import { definitionOf, droppedProviderUnits, type BuilderState } from './campaign-builder.js';
import { CampaignDefinitionService } from './campaign-definition.service.js';
import { CampaignDefinitionDto, CopyCampaignDto, type CampaignView } from './campaigns.dto.js';
import { CampaignsRepository } from './campaigns.repository.js';

/**
 * Saving what the builder shows: the definition it stands for goes through the same DTOs (with the
 * same strictness as the global pipe) and the same service rules as POST/PATCH /api/campaigns, so
 * the browser and the API can never disagree.
 */
@Injectable()
export class CampaignBuilderService {
  constructor(
    private readonly repository: CampaignsRepository,
    private readonly definitions: CampaignDefinitionService,
  ) {}

  /** Creates the draft (no id yet) or replaces its definition; a DomainError VALIDATION lists why not. */
  async save(id: string | undefined, state: BuilderState): Promise<CampaignView> {
    const plain = definitionOf(state);
    const definition = plainToInstance(CampaignDefinitionDto, plain);
    // An external campaign cannot rate provider units: switching to external is refused while a
    // question has one, until the admin confirms their removal (the builder's "external" step).
    // Nothing is dropped silently.
    const dropped = droppedProviderUnits(state).length;
    const errors = [
      ...(dropped
        ? [{ field: 'audience', message: `${dropped} question(s) rate a provider unit` }]
        : []),
      ...validateStrictly(definition),
    ];
    if (errors.length) {
      // The builder's output always has the definition's shape, so the cross-field rules can run
      // too: the admin sees every problem at once, not in two rounds.
      const codes = state.questions.map((q) => q.providerUnitCode).filter((c) => c !== '');
      const units = await this.repository.unitIdsByCode(codes);
      const more = validateDefinition(plain as unknown as CampaignDefinitionInput, {
        now: iso(),
        unitCodes: new Set(units.keys()),
      });
      errors.push(...more.filter((e) => !errors.some((x) => x.field === e.field)));
      throw invalid('The campaign definition is not valid', errors);
    }
    return id ? this.definitions.replace(id, definition) : this.definitions.create(definition);
  }

  /** Copy to next wave from the campaign page: the API's DTO checks the wave (and the name). */
  async copy(id: string, to: { wave: string; name: string }): Promise<CampaignView> {
    const dto = plainToInstance(CopyCampaignDto, to.name === '' ? { wave: to.wave } : to);
    const errors = validateStrictly(dto);
    if (errors.length) throw invalid('The copy is not valid', errors);
    return this.definitions.copy(id, dto);
  }

  /** The units a question may rate (internal campaigns). */
  units(): Promise<Array<{ code: string; name: string }>> {
    return this.repository.unitChoices();
  }

  /** Who the next mails of a campaign would reach, and when the last reminder went. */
  async mailing(id: string) {
    const [recipients, lastReminderAt] = await Promise.all([
      this.repository.mailRecipients(id),
      this.repository.lastReminderAt(id),
    ]);
    return { ...recipients, lastReminderAt };
  }
}
