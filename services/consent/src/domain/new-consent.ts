import type { Catalogue } from '@polku/catalogue';
import type { ConsentRecord } from '@polku/consent-policy';
import type { ConsentGrantedV2, ConsentRecipient, DataCategory, Party, Purpose } from '@polku/contracts';
import { ageInYears, parseIdentityCode, subjectRefOf, type IdentityCode } from '@polku/personal-data';
import { Forbidden, RequestInvalid, type FieldProblem, type PersonAssertion } from '@polku/service-kit';
import { checkResidentGrantor } from './ownership';
import { personRefOf } from './person-ref';
import { checkParty, checkRecipients } from './catalogue-refs';

/** The body of `POST /v1/consents` and `POST /v1/bans`, after schema validation. */
export interface ConsentRequest {
  subject: { identityCode: string };
  grantor: { role: ConsentGrantedV2['grantor']['role']; identityCode?: string };
  minorDecidesPersonally?: boolean;
  disclosers: Party[];
  recipients: ConsentRecipient[];
  dataCategories: DataCategory[];
  purposes: Purpose[];
  legalFramework: ConsentGrantedV2['legalFramework'];
  validFrom?: string;
  validUntil?: string;
  form: ConsentGrantedV2['form'];
  /** The recording professional; absent when a person records through the resident e-service. */
  recordedBy?: { professionalRef: string };
  evidenceRef?: string;
}

export interface NewConsentContext {
  kind: ConsentRecord['kind'];
  consentId: string;
  /** The recording organisation: from the caller's API key, never from the body. */
  organisationId: string;
  /** The recording system: from the caller's API key. */
  systemId: string;
  /**
   * The person the resident e-service vouches for, when a person records their own (or their
   * child's) consent; then the grantor is that person and no professional is involved.
   */
  person?: PersonAssertion;
  pseudonymKey: Buffer;
  catalogue: Catalogue;
  now: Date;
}

const problem = (field: string, message: string): FieldProblem => ({ field, in: 'body', message });

/**
 * The record a request asks for, or every problem with it at once. Identity codes are turned
 * into the subject reference here and go no further; messages never quote them.
 */
export function newConsent(body: ConsentRequest, ctx: NewConsentContext): ConsentRecord {
  const subject = parseIdentityCode(body.subject.identityCode);
  const validFrom = body.validFrom ?? ctx.now.toISOString();
  const problems = [
    ...(subject ? [] : [problem('/subject/identityCode', 'is not a valid Finnish personal identity code')]),
    ...(subject ? grantorProblems(body, subject, Date.parse(validFrom)) : []),
    ...validityProblems(body, ctx.kind, validFrom, ctx.now),
    ...body.disclosers.flatMap((d, i) => checkParty(ctx.catalogue, d, `/disclosers/${i}`)),
    ...checkRecipients(ctx.catalogue, body.recipients),
    ...(ctx.person === undefined && body.recordedBy === undefined ? [problem('/recordedBy', 'is required when a professional records')] : []),
  ];
  if (problems.length > 0 || !subject) throw new RequestInvalid(problems);
  if (ctx.person) checkResidentGrantor(ctx.person, body.subject.identityCode, body.grantor);
  if (ctx.kind === 'permission' && namesRecorder(body.recipients, ctx) && body.evidenceRef === undefined) {
    throw new Forbidden('A recipient records a permission naming itself only as taken from the grantor, with an evidence reference (evidenceRef)', 'SELF_PERMISSION_NEEDS_EVIDENCE');
  }
  const validUntil = ctx.kind === 'permission' ? cappedValidity(body, subject) : body.validUntil;
  return {
    consentId: ctx.consentId,
    subjectRef: subjectRefOf(subject.normalised, ctx.pseudonymKey),
    kind: ctx.kind,
    grantor: { role: body.grantor.role, ...grantorRef(body, ctx) },
    minorDecidesPersonally: body.minorDecidesPersonally ?? false,
    disclosers: body.disclosers as ConsentRecord['disclosers'],
    recipients: body.recipients as ConsentRecord['recipients'],
    dataCategories: body.dataCategories as ConsentRecord['dataCategories'],
    purposes: body.purposes as ConsentRecord['purposes'],
    legalFramework: body.legalFramework,
    validFrom,
    ...(validUntil ? { validUntil } : {}),
    form: body.form,
    recordedBy: {
      organisationId: ctx.organisationId,
      systemId: ctx.systemId,
      ...(body.recordedBy ? { professionalRef: body.recordedBy.professionalRef } : {}),
      channel: ctx.person ? 'resident-e-service' : 'professional',
    },
    ...(body.evidenceRef ? { evidenceRef: body.evidenceRef } : {}),
    status: 'active',
    changedAt: ctx.now.toISOString(),
  };
}

/** Who may speak for whom: the minor rule of 703/2023 and the grantor's own code. */
function grantorProblems(body: ConsentRequest, subject: IdentityCode, at: number): FieldProblem[] {
  const minor = ageInYears(subject.birthDate, new Date(at)) < 18;
  const { role, identityCode } = body.grantor;
  const problems: FieldProblem[] = [];
  if (identityCode !== undefined) {
    const grantor = parseIdentityCode(identityCode);
    if (!grantor) problems.push(problem('/grantor/identityCode', 'is not a valid Finnish personal identity code'));
    else if (role === 'self' && grantor.normalised !== subject.normalised) problems.push(problem('/grantor/identityCode', "must be the subject's own when the grantor role is self"));
  }
  if (body.minorDecidesPersonally === true && role !== 'self') problems.push(problem('/minorDecidesPersonally', 'only a minor who grants personally (grantor role self) decides personally'));
  if (body.minorDecidesPersonally === true && !minor) problems.push(problem('/minorDecidesPersonally', 'the subject is not a minor'));
  if (role === 'self' && minor && body.minorDecidesPersonally !== true) {
    problems.push(problem('/minorDecidesPersonally', 'a minor grants personally only when judged able to decide: set it true, or record the guardian as grantor'));
  }
  if (role === 'guardian' && !minor) problems.push(problem('/grantor/role', 'an adult has no guardian; use legal-representative'));
  return problems;
}

/**
 * The grantor's pseudonymous reference: from the e-service's identified person, or from the
 * grantor's code a professional gave. Without either the record has none, and only its
 * recording organisation can withdraw it.
 */
function grantorRef(body: ConsentRequest, ctx: NewConsentContext): { ref?: string } {
  const code = ctx.person?.identityCode ?? body.grantor.identityCode;
  const parsed = code === undefined ? undefined : parseIdentityCode(code);
  return parsed ? { ref: personRefOf(parsed.normalised, ctx.pseudonymKey) } : {};
}

/**
 * A guardian speaks for a child only until the child comes of age: a guardian's permission
 * ends at the start of the child's 18th birthday (UTC), whatever `validUntil` was asked.
 * Written into the record, so every reader of the ledger (and of the topic) sees the same end.
 * A guardian's ban is not capped: a ban lapsing would widen disclosure without anyone deciding
 * so; the young adult (or the recording organisation) withdraws it.
 */
function cappedValidity(body: ConsentRequest, subject: IdentityCode): string | undefined {
  if (body.grantor.role !== 'guardian') return body.validUntil;
  const comingOfAge = eighteenthBirthday(subject.birthDate);
  if (body.validUntil === undefined) return comingOfAge;
  return Date.parse(body.validUntil) <= Date.parse(comingOfAge) ? body.validUntil : comingOfAge;
}

/** The 18th birthday at 00:00 UTC; one born on 29 February comes of age on 1 March. */
export function eighteenthBirthday(birth: IdentityCode['birthDate']): string {
  return new Date(Date.UTC(birth.year + 18, birth.month - 1, birth.day)).toISOString();
}

/**
 * Does the permission reach the recording organisation itself: named by id (or one of its
 * services), or by a sector the recorder (or one of its services) belongs to?
 */
function namesRecorder(recipients: ConsentRequest['recipients'], ctx: NewConsentContext): boolean {
  const organisation = ctx.catalogue.organisations.find((o) => o.id === ctx.organisationId);
  const sectors = new Set([
    ...(organisation ? [organisation.sector] : []),
    ...ctx.catalogue.services.filter((s) => s.organisationId === ctx.organisationId).map((s) => s.sector ?? organisation?.sector),
  ]);
  return recipients.some((r) => ('organisationId' in r ? r.organisationId === ctx.organisationId : sectors.has(r.sector)));
}

function validityProblems(body: ConsentRequest, kind: ConsentRecord['kind'], validFrom: string, now: Date): FieldProblem[] {
  // A ban stands until withdrawn; a permission must say when it ends.
  if (body.validUntil === undefined) return kind === 'permission' ? [problem('/validUntil', 'is required for a permission')] : [];
  const until = Date.parse(body.validUntil);
  if (until <= Date.parse(validFrom)) return [problem('/validUntil', 'must be after validFrom')];
  if (until <= now.getTime()) return [problem('/validUntil', 'must be in the future')];
  return [];
}
