/**
 * What went wrong, in the product's words; one filter maps each code to an HTTP status.
 * Services throw the precise code; the HTTP-category codes at the top remain for what has no
 * more precise name (and for the features that have not been given their own codes yet).
 */
export enum ErrorCode {
  // Categories: the fallback.
  Validation = 'VALIDATION',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Gone = 'GONE',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  RateLimited = 'RATE_LIMITED',
  Unavailable = 'UNAVAILABLE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',

  // Accounts and sign-in.
  InvalidCredentials = 'INVALID_CREDENTIALS',
  LoginThrottled = 'LOGIN_THROTTLED',
  SetupDone = 'SETUP_DONE',
  UserEmailTaken = 'USER_EMAIL_TAKEN',

  // Units and contacts.
  UnitNotFound = 'UNIT_NOT_FOUND',
  UnitCodeTaken = 'UNIT_CODE_TAKEN',
  UnitInUse = 'UNIT_IN_USE',
  ContactNotFound = 'CONTACT_NOT_FOUND',
  ContactEmailTaken = 'CONTACT_EMAIL_TAKEN',

  // Campaigns: definition and lifecycle.
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  CampaignFrozen = 'CAMPAIGN_FROZEN',
  CampaignNotDraft = 'CAMPAIGN_NOT_DRAFT',
  CampaignHasResponses = 'CAMPAIGN_HAS_RESPONSES',
  CampaignAlreadyClosed = 'CAMPAIGN_ALREADY_CLOSED',
  ClosingTimePassed = 'CLOSING_TIME_PASSED',
  CampaignChanged = 'CAMPAIGN_CHANGED',
  ProviderUnitRemoved = 'PROVIDER_UNIT_REMOVED',

  // Invitations and reminders.
  CampaignClosed = 'CAMPAIGN_CLOSED',
  CampaignNotOpen = 'CAMPAIGN_NOT_OPEN',
  InvitationsContended = 'INVITATIONS_CONTENDED',

  // Survey and opt-out links.
  LinkNotFound = 'LINK_NOT_FOUND',
  TooManyInvalidLinks = 'TOO_MANY_INVALID_LINKS',
  LinkAlreadyUsed = 'LINK_ALREADY_USED',
  SurveyClosed = 'SURVEY_CLOSED',
}

/** The one table from code to HTTP status, used by the error filter (and by form re-renders). */
export const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Gone]: 410,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Unavailable]: 503,

  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.LoginThrottled]: 429,
  // The setup page does not exist once there is a user.
  [ErrorCode.SetupDone]: 404,
  [ErrorCode.UserEmailTaken]: 409,

  [ErrorCode.UnitNotFound]: 404,
  [ErrorCode.UnitCodeTaken]: 409,
  [ErrorCode.UnitInUse]: 409,
  [ErrorCode.ContactNotFound]: 404,
  [ErrorCode.ContactEmailTaken]: 409,

  [ErrorCode.CampaignNotFound]: 404,
  [ErrorCode.CampaignFrozen]: 409,
  [ErrorCode.CampaignNotDraft]: 409,
  [ErrorCode.CampaignHasResponses]: 409,
  [ErrorCode.CampaignAlreadyClosed]: 409,
  [ErrorCode.ClosingTimePassed]: 409,
  [ErrorCode.CampaignChanged]: 409,
  [ErrorCode.ProviderUnitRemoved]: 409,

  [ErrorCode.CampaignClosed]: 409,
  [ErrorCode.CampaignNotOpen]: 409,
  [ErrorCode.InvitationsContended]: 409,

  [ErrorCode.LinkNotFound]: 404,
  [ErrorCode.TooManyInvalidLinks]: 429,
  [ErrorCode.LinkAlreadyUsed]: 409,
  [ErrorCode.SurveyClosed]: 410,
};

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** True for a DomainError with one of the given codes. */
export const hasCode = (err: unknown, codes: readonly ErrorCode[]): err is DomainError =>
  err instanceof DomainError && codes.includes(err.code);

export const notFound = (what: string, code = ErrorCode.NotFound) =>
  new DomainError(code, `${what} not found`);
export const invalid = (message: string, errors?: FieldError[]) =>
  new DomainError(ErrorCode.Validation, message, errors);
export const conflict = (message: string, code = ErrorCode.Conflict) =>
  new DomainError(code, message);
