import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import type { Language } from '../domain/language.js';
import {
  LinkageDriversQueryDto,
  LinkageQueryDto,
  LinkageWavesQueryDto,
  ServiceMapQueryDto,
  type DriversResult,
  type LinkageResult,
  type ServiceMapResult,
  type WavesResult,
} from './linkage.dto.js';
import { LinkageWavesService } from './linkage-waves.service.js';
import { LinkageService } from './linkage.service.js';
import { ServiceMapService } from './service-map.service.js';

/** `lang` wins; else the first Accept-Language tag if it is Italian; else English. */
export function summaryLanguage(
  lang: Language | undefined,
  acceptLanguage: string | undefined,
): Language {
  if (lang) return lang;
  return /^\s*it\b/i.test(acceptLanguage ?? '') ? 'it' : 'en';
}

const idList = (value: string | undefined) => (value === undefined ? undefined : value.split(','));

@ApiTags('linkage')
@ApiBearerAuth()
@Controller('api/linkage')
export class LinkageController {
  constructor(
    private readonly linkage: LinkageService,
    private readonly waves: LinkageWavesService,
  ) {}

  @Roles('analyst', 'manager')
  @Get()
  get(
    @Query() query: LinkageQueryDto,
    @ReaderScope() reader: ReportScope,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<LinkageResult> {
    const lang = summaryLanguage(query.lang, acceptLanguage);
    return this.linkage.linkage({ ...query, lang }, reader);
  }

  @Roles('analyst', 'manager')
  @Get('waves')
  overTime(
    @Query() query: LinkageWavesQueryDto,
    @ReaderScope() reader: ReportScope,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<WavesResult> {
    return this.waves.waves(
      {
        ...query,
        internal: idList(query.internal),
        external: idList(query.external),
        lang: summaryLanguage(query.lang, acceptLanguage),
      },
      reader,
    );
  }

  /** Company-wide figures only (one row per question): the same for a unit manager. */
  @Roles('analyst', 'manager')
  @Get('drivers')
  drivers(
    @Query() query: LinkageDriversQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<DriversResult> {
    return this.linkage.drivers({ ...query, lang: summaryLanguage(query.lang, acceptLanguage) });
  }
}

@ApiTags('linkage')
@ApiBearerAuth()
@Controller('api/campaigns')
export class ServiceMapController {
  constructor(private readonly serviceMap: ServiceMapService) {}

  @Roles('analyst', 'manager')
  @Get(':id/service-map')
  get(
    @Param('id') id: string,
    @Query() query: ServiceMapQueryDto,
    @ReaderScope() reader: ReportScope,
  ): Promise<ServiceMapResult> {
    return this.serviceMap.serviceMap({ campaignId: id, level: query.level }, reader);
  }
}
