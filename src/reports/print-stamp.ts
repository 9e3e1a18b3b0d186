/**
 * The stamp of a printed report page: when it was generated (server time), which campaigns, the
 * options in effect and the thresholds. Rendered by `views/reports/partials/print-stamp.hbs`
 * (included by reports-bar.hbs, so by every /reports page), hidden on screen, shown in print.
 */
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { formatDateTime } from '../common/format.js';
import { translate } from '../common/messages.js';
import { AppConfig } from '../config/app-config.js';
import { isLanguage, type Language } from '../domain/language.js';

/** Query parameters that name campaigns (resolved to names) or only the page language. */
const CAMPAIGN_KEYS = ['internal', 'external'];
const IGNORED_KEYS = ['lang', ...CAMPAIGN_KEYS];
/** Options with a label of their own; any other query parameter is shown under its own name. */
const KNOWN_FILTERS = [
  'metric',
  'internalMetric',
  'externalMetric',
  'internalQuestion',
  'externalQuestion',
  'minResponses',
  'perspective',
  'level',
  'lag',
  'unitCode',
  'q',
];

export interface PrintStampInput {
  at: Date;
  lang: Language;
  campaigns: string[];
  /** [query parameter, value] in the order of the address. */
  filters: [string, string][];
  k: number;
  commentK: number;
  /** The linkage's least responses per unit (the page's `minResponses`, else k). */
  minResponses: number;
}

export interface PrintStamp {
  label: string;
  lines: string[];
}

/** The stamp's sentences, in the page language (plain text; the template escapes it). */
export function printStampView(input: PrintStampInput): PrintStamp {
  const { lang } = input;
  const t = (key: string, vars?: Record<string, unknown>) =>
    translate(lang, `reportlooks.stamp.${key}`, vars);
  const filters = input.filters.map(
    ([key, value]) => `${KNOWN_FILTERS.includes(key) ? t(`filter.${key}`) : key}: ${value}`,
  );
  return {
    label: t('label'),
    lines: [
      t('generated', { date: formatDateTime(input.at, lang) }),
      input.campaigns.length
        ? t('campaigns', { names: input.campaigns.join(' · ') })
        : t('campaignsOnPage'),
      filters.length ? t('filters', { list: filters.join('; ') }) : t('noFilters'),
      t('thresholds', {
        k: input.k,
        commentK: input.commentK,
        internalMin: Math.max(input.k, input.minResponses),
        externalMin: input.minResponses,
      }),
    ],
  };
}

/**
 * Puts `printStamp` in `reply.locals` of every GET /reports page (the guard has already set the
 * page language there), so the layout's data carries it whichever controller renders the page.
 */
@Injectable()
export class PrintStampInterceptor implements NestInterceptor {
  constructor(
    private readonly config: AppConfig,
    private readonly campaigns: CampaignsService,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (ctx.getType() !== 'http') return next.handle();
    const request = ctx
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: Record<string, string> }>>();
    const path = request.url.split('?')[0];
    if (
      request.method !== 'GET' ||
      !(path === '/reports' || path.startsWith('/reports/')) ||
      path.endsWith('.csv') ||
      path.endsWith('.xlsx')
    )
      return next.handle();
    const reply = ctx.switchToHttp().getResponse<{ locals?: Record<string, unknown> }>();
    const query = new URL(request.url, 'http://x').searchParams;
    const queryLang = query.get('lang');
    const localLang = reply.locals?.lang;
    const lang: Language =
      queryLang && isLanguage(queryLang)
        ? queryLang
        : typeof localLang === 'string' && isLanguage(localLang)
          ? localLang
          : 'en';
    const ids = [request.params?.id, ...CAMPAIGN_KEYS.map((key) => query.get(key))].filter(
      (id): id is string => !!id,
    );
    const campaigns: string[] = [];
    for (const id of ids) {
      try {
        const c = await this.campaigns.get(id);
        campaigns.push(c.wave && !c.name.includes(c.wave) ? `${c.name} (${c.wave})` : c.name);
      } catch {
        // An unknown id: the page itself answers 404.
      }
    }
    const filters = [...query.entries()].filter(([key]) => !IGNORED_KEYS.includes(key));
    const k = this.config.env.MIN_GROUP_SIZE;
    const minResponses = Number(query.get('minResponses'));
    reply.locals = {
      ...(reply.locals ?? {}),
      printStamp: printStampView({
        at: new Date(),
        lang,
        campaigns,
        filters,
        k,
        commentK: this.config.env.MIN_COMMENT_GROUP_SIZE,
        minResponses: Number.isInteger(minResponses) && minResponses > 0 ? minResponses : k,
      }),
    };
    return next.handle();
  }
}
