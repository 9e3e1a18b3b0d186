import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode, notFound } from '../common/domain-error.js';
import { formPost } from '../common/form-post.js';
import { ContactsService } from './contacts.service.js';
import { CsvImportService } from './csv-import.service.js';
import {
  ContactEditFormDto,
  ContactFormDto,
  EraseFormDto,
  ImportFormDto,
  UnitFormDto,
} from './organisation.dto.js';
import { UNIT_CODE } from './organisation.rules.js';
import {
  type ContactFilter,
  type ContactForm,
  contactEditModel,
  contactsPageModel,
  erasePageModel,
  type FormState,
  importErrorText,
  type ImportState,
  noticeFrom,
  pageErrors,
  type UnitForm,
  unitDeleteModel,
  unitEditModel,
  unitsPageModel,
  inUseSentence,
} from './organisation-pages.view.js';
import type { ImportKind } from './import-preview-seal.js';
import { localised } from './problems.js';
import { UnitInUse, UnitsService } from './units.service.js';
import { AUDIENCES, type Audience } from '../domain/audience.js';
import { isLanguage, type Language } from '../domain/language.js';

/** Errors a form can show next to its fields (anything else goes to the error page). */
const UNIT_FORM_ERRORS = [ErrorCode.Validation, ErrorCode.UnitCodeTaken];
const CONTACT_FORM_ERRORS = [ErrorCode.Validation, ErrorCode.ContactEmailTaken];
/** Whole-file problems of an import, shown above the pasted text. */
const FILE_ERRORS = [
  ErrorCode.Validation,
  ErrorCode.PayloadTooLarge,
  ErrorCode.UnsupportedMediaType,
];
/** …and an import whose text is not the one previewed (PreviewMismatch, a conflict). */
const IMPORT_ERRORS: Record<ImportKind, ErrorCode[]> = {
  units: [...FILE_ERRORS, ErrorCode.Conflict, ErrorCode.UnitCodeTaken],
  contacts: [...FILE_ERRORS, ErrorCode.Conflict, ErrorCode.ContactEmailTaken],
};

/** The page's language, which the auth guard put in the reply's locals. */
const langOf = (reply: FastifyReply): Language => {
  const lang = (reply as FastifyReply & { locals?: { lang?: unknown } }).locals?.lang;
  return isLanguage(lang) ? lang : 'en';
};

/** Pasted CSV is URL-encoded (up to three bytes per character): room for the API's 5 MB file limit. */
const FORM_CSV_LIMIT = 16 * 1024 * 1024;

/** Admin pages for units and contacts. Every post ends in a 303 or a re-render with the input kept. */
@ApiExcludeController()
@Controller('admin')
export class OrganisationPagesController {
  constructor(
    private readonly units: UnitsService,
    private readonly contacts: ContactsService,
    private readonly imports: CsvImportService,
  ) {}

  // -------------------------------------------------------------------------------- units

  @Get('units')
  async unitsPage(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    return this.renderUnits(reply, 200, { notice: noticeFrom(query, langOf(reply), 'units') });
  }

  @Post('units')
  async addUnit(@Body() body: UnitFormDto, @Res() reply: FastifyReply) {
    const form: UnitForm = { code: body.code, name: body.name, parentCode: body.parentCode };
    return formPost(
      async () => {
        const unit = await this.units.create(form);
        return reply.redirect(`/admin/units?added=${encodeURIComponent(unit.code)}`, 303);
      },
      UNIT_FORM_ERRORS,
      (err, status) =>
        this.renderUnits(reply, status, {
          form,
          formErrors: pageErrors(err, 'code', langOf(reply)),
        }),
    );
  }

  @RouteConfig({ bodyLimit: FORM_CSV_LIMIT })
  @Post('units/import')
  async importUnits(@Body() body: ImportFormDto, @Res() reply: FastifyReply) {
    return this.importStep('units', body, reply);
  }

  /** One unit: rename, move, and the way to delete it. */
  @Get('units/:code')
  async unitPage(@Param('code') code: string, @Res() reply: FastifyReply) {
    return this.renderUnit(reply, 200, code, {});
  }

  @Post('units/:code')
  async saveUnit(
    @Param('code') code: string,
    @Body() body: UnitFormDto,
    @Res() reply: FastifyReply,
  ) {
    const form: UnitForm = { name: body.name, parentCode: body.parentCode ?? '' };
    return formPost(
      async () => {
        await this.units.update(code, { name: body.name ?? '', parentCode: body.parentCode ?? '' });
        return reply.redirect(`/admin/units?saved=${encodeURIComponent(code)}`, 303);
      },
      [ErrorCode.Validation],
      (err, status) =>
        this.renderUnit(reply, status, code, {
          form,
          formErrors: pageErrors(err, 'name', langOf(reply)),
        }),
    );
  }

  /** The confirm step before a deletion (a GET never changes anything). */
  @Get('units/:code/delete')
  async deleteUnitConfirm(@Param('code') code: string, @Res() reply: FastifyReply) {
    const unit = await this.units.get(code);
    return reply.view('admin/unit-delete', unitDeleteModel(unit, langOf(reply)));
  }

  @Post('units/:code/delete')
  async deleteUnit(
    @Param('code') code: string,
    @Body() _body: EraseFormDto,
    @Res() reply: FastifyReply,
  ) {
    return formPost(
      async () => {
        await this.units.remove(code);
        return reply.redirect(`/admin/units?deleted=${encodeURIComponent(code)}`, 303);
      },
      [ErrorCode.UnitInUse],
      (err, status) =>
        this.renderUnit(reply, status, code, {
          error:
            err instanceof UnitInUse
              ? inUseSentence(code, err.usage, langOf(reply))
              : localised(langOf(reply), err),
        }),
    );
  }

  // -------------------------------------------------------------------------------- contacts

  @Get('contacts')
  async contactsPage(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    return this.renderContacts(reply, 200, readFilter(query), {
      notice: noticeFrom(query, langOf(reply), 'contacts'),
    });
  }

  @Post('contacts')
  async addContact(@Body() body: ContactFormDto, @Res() reply: FastifyReply) {
    const form: ContactForm = {
      email: body.email,
      name: body.name,
      audience: body.audience,
      unitCode: body.unitCode,
      language: body.language,
    };
    return formPost(
      async () => {
        await this.contacts.create(form);
        return reply.redirect('/admin/contacts?added=1', 303);
      },
      CONTACT_FORM_ERRORS,
      (err, status) =>
        this.renderContacts(
          reply,
          status,
          { page: 1 },
          { form, formErrors: pageErrors(err, 'email', langOf(reply)) },
        ),
    );
  }

  @RouteConfig({ bodyLimit: FORM_CSV_LIMIT })
  @Post('contacts/import')
  async importContacts(@Body() body: ImportFormDto, @Res() reply: FastifyReply) {
    return this.importStep('contacts', body, reply);
  }

  @Get('contacts/:id')
  async contactPage(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    return this.renderContact(reply, 200, id, {
      notice: noticeFrom(query, langOf(reply), 'contacts'),
    });
  }

  /** Everything but the address; "opted out" is a checkbox (never mailed again while ticked). */
  @Post('contacts/:id')
  async saveContact(
    @Param('id') id: string,
    @Body() body: ContactEditFormDto,
    @Res() reply: FastifyReply,
  ) {
    const form = {
      name: body.name,
      audience: body.audience,
      unitCode: body.unitCode,
      language: body.language,
      optedOut: body.optedOut === 'on',
    };
    return formPost(
      async () => {
        await this.contacts.update(id, {
          name: body.name ?? '',
          audience: body.audience ?? '',
          unitCode: body.unitCode ?? '',
          language: body.language ?? '',
          optedOut: form.optedOut,
        });
        return reply.redirect(`/admin/contacts/${encodeURIComponent(id)}?contactSaved=1`, 303);
      },
      [ErrorCode.Validation],
      (err, status) =>
        this.renderContact(reply, status, id, {
          form,
          formErrors: pageErrors(err, 'name', langOf(reply)),
        }),
    );
  }

  /** The confirm step before an erasure (a GET never changes anything). */
  @Get('contacts/:id/erase')
  async eraseConfirm(@Param('id') id: string, @Res() reply: FastifyReply) {
    return reply.view(
      'admin/contacts-erase',
      erasePageModel(await this.contacts.get(id), langOf(reply)),
    );
  }

  @Post('contacts/:id/erase')
  async erase(@Param('id') id: string, @Body() _body: EraseFormDto, @Res() reply: FastifyReply) {
    await this.contacts.erase(id);
    return reply.redirect('/admin/contacts?erased=1', 303);
  }

  /**
   * Both imports, both steps: Preview shows the report and seals the text; Import applies only
   * that text. A clean import goes back to the list; anything else shows the report, or the
   * refusal with the user's text kept for a new preview.
   */
  private async importStep(kind: ImportKind, body: ImportFormDto, reply: FastifyReply) {
    const csv = body.csv ?? '';
    const preview = Boolean(body.dryRun);
    const render = (status: number, state: ImportState) =>
      kind === 'units'
        ? this.renderUnits(reply, status, state)
        : this.renderContacts(reply, status, { page: 1 }, state);
    return formPost(
      async () => {
        const { report, seal } = await this.imports.previewOrImport(
          kind,
          csv,
          preview ? { preview: true } : { preview: false, seal: body.previewSeal },
        );
        if (!report.dryRun && report.errors.length === 0)
          return reply.redirect(
            `/admin/${kind}?created=${report.created}&updated=${report.updated}`,
            303,
          );
        return render(200, { importText: csv, importReport: report, importSeal: seal });
      },
      IMPORT_ERRORS[kind],
      (err, status) =>
        render(status, { importText: csv, importError: importErrorText(err, langOf(reply)) }),
    );
  }

  // -------------------------------------------------------------------------------- rendering

  private async renderUnits(
    reply: FastifyReply,
    status: number,
    state: ImportState & FormState<UnitForm> & { notice?: string },
  ) {
    return reply
      .status(status)
      .view('admin/units', unitsPageModel(await this.units.tree(), state, langOf(reply)));
  }

  private async renderUnit(
    reply: FastifyReply,
    status: number,
    code: string,
    state: FormState<UnitForm> & { error?: string },
  ) {
    const model = unitEditModel(await this.units.tree(), code, state, langOf(reply));
    if (!model) throw notFound('Unit', ErrorCode.UnitNotFound);
    return reply.status(status).view('admin/unit-edit', model);
  }

  private async renderContact(
    reply: FastifyReply,
    status: number,
    id: string,
    state: FormState<ContactForm & { optedOut?: boolean }> & { notice?: string },
  ) {
    const [contact, tree] = await Promise.all([this.contacts.get(id), this.units.tree()]);
    return reply
      .status(status)
      .view('admin/contact-edit', contactEditModel(contact, tree, state, langOf(reply)));
  }

  private async renderContacts(
    reply: FastifyReply,
    status: number,
    filter: ContactFilter,
    state: ImportState & FormState<ContactForm> & { notice?: string },
  ) {
    const [page, tree] = await Promise.all([
      this.contacts.list({
        audience: filter.audience as Audience | undefined,
        unitCode: filter.unitCode,
        q: filter.q,
        page: filter.page,
      }),
      this.units.tree(),
    ]);
    return reply
      .status(status)
      .view('admin/contacts', contactsPageModel(page, tree, filter, state, langOf(reply)));
  }
}

/** Page filters are forgiving: a value that cannot be meant is simply ignored. */
function readFilter(query: Record<string, unknown>): ContactFilter {
  const audience =
    typeof query.audience === 'string' && (AUDIENCES as readonly string[]).includes(query.audience)
      ? query.audience
      : undefined;
  const unitCode =
    typeof query.unitCode === 'string' && UNIT_CODE.test(query.unitCode)
      ? query.unitCode
      : undefined;
  const page =
    typeof query.page === 'string' && /^\d{1,6}$/.test(query.page)
      ? Math.max(1, Number(query.page))
      : 1;
  const q =
    typeof query.q === 'string' && query.q.trim() && query.q.length <= 200
      ? query.q.trim()
      : undefined;
  return { audience, unitCode, q, page };
}
