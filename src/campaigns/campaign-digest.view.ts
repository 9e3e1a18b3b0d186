/** The "digest after close" section of the campaign page (issue 9). */
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import type { DigestUser } from './campaign-digest.repository.js';
import type { CampaignView } from './campaigns.dto.js';

export function digestSection(
  campaign: CampaignView,
  users: readonly DigestUser[],
  lang: Language,
  ticked: readonly string[] = campaign.digestRecipients ?? [],
) {
  const chosen = new Set(ticked);
  const byId = new Map(users.map((u) => [u.id, u]));
  const role = (r: string) => translate(lang, `digest.page.role.${r}`);
  return {
    editable: campaign.status !== 'closed',
    sentAt: campaign.digestSentAt ?? null,
    recipients: [...chosen].flatMap((id) => {
      const u = byId.get(id);
      return u ? [`${u.email} (${role(u.role)})`] : [];
    }),
    choices: users.map((u, i) => ({
      id: u.id,
      inputId: `digest-user-${i}`,
      label: `${u.email} (${role(u.role)})`,
      checked: chosen.has(u.id),
    })),
  };
}
