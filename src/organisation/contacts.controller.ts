import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ContactsService } from './contacts.service.js';
import { CsvImportService } from './csv-import.service.js';
import {
  ContactListQueryDto,
  type ContactPageView,
  type ContactView,
  CreateContactDto,
  type ImportReport,
  ImportQueryDto,
  isDryRun,
  UpdateContactDto,
} from './organisation.dto.js';

/** Admins only: contacts are personal data. */
@ApiTags('organisation')
@ApiBearerAuth()
@Controller('api/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly imports: CsvImportService,
  ) {}

  @Post()
  create(@Body() body: CreateContactDto): Promise<ContactView> {
    return this.contacts.create(body);
  }

  @Get()
  list(@Query() query: ContactListQueryDto): Promise<ContactPageView> {
    return this.contacts.list(query);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example:
        'email,name,audience,unit_code,language\nada@example.com,Ada Lovelace,internal,B01,en\n',
    },
  })
  importCsv(@Body() body: unknown, @Query() query: ImportQueryDto): Promise<ImportReport> {
    return this.imports.importContacts(body, isDryRun(query));
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ContactView> {
    return this.contacts.get(id);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: UpdateContactDto): Promise<ContactView> {
    return this.contacts.update(id, body);
  }

  /** Erasure on request: personal data removed, answers kept but unlinked. */
  @Delete(':id')
  @HttpCode(204)
  async erase(@Param('id') id: string): Promise<void> {
    await this.contacts.erase(id);
  }
}
