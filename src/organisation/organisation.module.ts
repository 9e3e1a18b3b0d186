import { Module } from '@nestjs/common';
import { ContactsController } from './contacts.controller.js';
import { ContactsRepository } from './contacts.repository.js';
import { ContactsService } from './contacts.service.js';
import { CsvImportService } from './csv-import.service.js';
import { ImportPreviewSeal } from './import-preview-seal.js';
import { OrganisationPagesController } from './organisation-pages.controller.js';
import { UnitsController } from './units.controller.js';
import { UnitsRepository } from './units.repository.js';
import { UnitsService } from './units.service.js';

/** Units (a tree), contacts, their CSV imports and the admin pages for both. */
@Module({
  controllers: [UnitsController, ContactsController, OrganisationPagesController],
  providers: [
    UnitsRepository,
    ContactsRepository,
    UnitsService,
    ContactsService,
    CsvImportService,
    ImportPreviewSeal,
  ],
  exports: [UnitsService, ContactsService, UnitsRepository],
})
export class OrganisationModule {}
