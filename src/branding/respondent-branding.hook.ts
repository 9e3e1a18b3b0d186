import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MailSettingsRepository } from '../invitations/mail-settings.repository.js';
import { logoPath } from './settings.service.js';

/** The pages respondents see: the survey form and its status pages, the unsubscribe pages. */
const RESPONDENT_PAGES = /^\/(s\/|unsubscribe\/|admin\/campaigns\/[^/?]+\/preview)/;

/**
 * Gives respondent pages the organisation's name and logo (`brand` in the view's locals), so
 * their templates show a small header when either is set, without their controllers knowing.
 */
@Injectable()
export class RespondentBranding implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly settings: MailSettingsRepository,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('preHandler', (request, reply) => this.brand(request, reply));
  }

  private async brand(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!RESPONDENT_PAGES.test(request.url)) return;
    const s = await this.settings.settings();
    if (!s.organisationName && !s.logoUpdatedAt) return;
    const r = reply as FastifyReply & { locals?: Record<string, unknown> };
    r.locals = {
      ...(r.locals ?? {}),
      brand: {
        name: s.organisationName ?? '',
        logoUrl: s.logoUpdatedAt ? logoPath(s.logoUpdatedAt) : null,
      },
    };
  }
}
