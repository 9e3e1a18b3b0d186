import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CsvImportService } from './csv-import.service.js';
import {
  CreateUnitDto,
  type ImportReport,
  ImportQueryDto,
  isDryRun,
  UpdateUnitDto,
  type UnitView,
} from './organisation.dto.js';
import { UnitsService } from './units.service.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('api/units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly imports: CsvImportService,
  ) {}

  @Post()
  create(@Body() body: CreateUnitDto): Promise<UnitView> {
    return this.units.create(body);
  }

  /** Analysts may read units: reports name them. */
  @Roles('analyst')
  @Get()
  list(): Promise<UnitView[]> {
    return this.units.list();
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', example: 'code,name,parent_code\nHQ,Head office,\nB01,Milan,HQ\n' },
  })
  importCsv(@Body() body: unknown, @Query() query: ImportQueryDto): Promise<ImportReport> {
    return this.imports.importUnits(body, isDryRun(query));
  }

  @Roles('analyst')
  @Get(':code')
  get(@Param('code') code: string): Promise<UnitView> {
    return this.units.get(code);
  }

  @Patch(':code')
  update(@Param('code') code: string, @Body() body: UpdateUnitDto): Promise<UnitView> {
    return this.units.update(code, body);
  }

  @Delete(':code')
  @HttpCode(204)
  async remove(@Param('code') code: string): Promise<void> {
    await this.units.remove(code);
  }
}
