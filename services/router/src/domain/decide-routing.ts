import type { ReferralRoutedV1, ReferralSubmittedV1, Statute } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';
import type { Catalogue, Service } from '@polku/catalogue';
import { findRule } from './match-rule';
import type { RoutingRule, RoutingRules } from './rules';
import { selectService } from './select-service';
import { slaDeadline, type SlaDeadline } from './sla';

/** A chosen service, in the shape of `lead` in referral.routed.v1. */
export type RoutedParty = ReferralRoutedV1['lead'];

/** Why a guidance coordinator holds the referral. */
export type CoordinatorReason = 'rule-chose-coordinator' | 'no-rule-matched' | 'no-covering-service';

export interface RoutingDecision {
  /** The family's one contact. */
  lead: RoutedParty;
  coWorkers: RoutedParty[];
  /** The rule that matched, or {@link NO_RULE_MATCHED}. */
  ruleId: string;
  viaCoordinator: boolean;
  coordinatorReason?: CoordinatorReason;
  /** The lead may receive the referral under its statute, without consent. */
  statutory: boolean;
  slaDeadline: SlaDeadline;
}

/** The ruleId of a referral no rule matched (a catalogue key, as referral.routed.v1 requires). */
export const NO_RULE_MATCHED = 'no-rule-matched';

/**
 * Decides who helps: the first matching rule names the lead kind and co-worker kinds, the catalogue
 * names the services. A referral no rule matches, or whose lead kind has no covering service, goes
 * to the area's guidance coordinator: never nowhere.
 */
export function decideRouting(referral: ReferralSubmittedV1, catalogue: Catalogue, rules: RoutingRules): RoutingDecision {
  const rule = findRule(referral, rules.rules);
  const statute = rule?.then.statutory === true && referral.legalBasis !== 'consent' ? referral.legalBasis : undefined;
  const lead = rule ? selectLead(referral, catalogue, rule, statute) : undefined;
  const base = {
    ruleId: rule?.id ?? NO_RULE_MATCHED,
    slaDeadline: slaDeadline({ ...referral, submittedAt: parseSubmittedAt(referral) }, rules.sla),
  };
  if (!rule || !lead) {
    const coordinator = selectCoordinator(referral, catalogue);
    return {
      ...base,
      lead: toParty(coordinator, catalogue),
      coWorkers: [],
      viaCoordinator: true,
      coordinatorReason: rule ? 'no-covering-service' : 'no-rule-matched',
      statutory: statute !== undefined && coordinator.acceptsStatutory.includes(statute),
    };
  }
  const viaCoordinator = lead.kind === 'guidance-coordinator';
  return {
    ...base,
    lead: toParty(lead, catalogue),
    coWorkers: selectCoWorkers(referral, catalogue, rule, lead).map((s) => toParty(s, catalogue)),
    viaCoordinator,
    ...(viaCoordinator ? { coordinatorReason: 'rule-chose-coordinator' as const } : {}),
    statutory: statute !== undefined,
  };
}

function selectLead(referral: ReferralSubmittedV1, catalogue: Catalogue, rule: RoutingRule, statute: Statute | undefined): Service | undefined {
  // On a statutory route the statute names the recipient, whatever need codes the notifier chose.
  const needCodes = statute ? undefined : referral.needCodes;
  return selectService(catalogue, { ...referral, kind: rule.then.lead, needCodes, statute });
}

/** Co-workers the catalogue cannot cover are left out rather than failing the route: the lead still acts. */
function selectCoWorkers(referral: ReferralSubmittedV1, catalogue: Catalogue, rule: RoutingRule, lead: Service): Service[] {
  const chosen = new Map<string, Service>();
  for (const kind of rule.then.coWorkers) {
    const service = selectService(catalogue, { ...referral, kind });
    if (service && service.id !== lead.id) chosen.set(service.id, service);
  }
  return [...chosen.values()];
}

/** What finding a coordinator needs of a referral: routing attributes, nothing personal. */
export type CoordinatorQuery = Pick<ReferralSubmittedV1, 'municipalityCode' | 'language' | 'needCodes' | 'ageBand'>;

/**
 * The area's guidance coordinator as a routed party: where a referral goes when its lead declines
 * or its deadline passes, chosen exactly as for a referral no rule matches.
 */
export function coordinatorFor(referral: CoordinatorQuery, catalogue: Catalogue): RoutedParty {
  return toParty(selectCoordinator(referral, catalogue), catalogue);
}

/** The area's coordinator (the whole age range: a coordinator's job is to find the right help). */
function selectCoordinator(referral: CoordinatorQuery, catalogue: Catalogue): Service {
  const local = selectService(catalogue, { ...referral, kind: 'guidance-coordinator', ageBand: 'unknown' });
  const coordinator = local ?? catalogue.services.find((s) => s.id === catalogue.fallbackServiceId);
  if (!coordinator) throw new PolkuError('ROUTER_NO_COORDINATOR', `catalogue has no coordinator for '${referral.municipalityCode}'`);
  return coordinator;
}

function toParty(service: Service, catalogue: Catalogue): RoutedParty {
  const organisation = catalogue.organisations.find((o) => o.id === service.organisationId);
  const sector = service.sector ?? organisation?.sector;
  // loadCatalogue guarantees the organisation; a hand-built catalogue may not.
  if (!sector) throw new PolkuError('CATALOGUE_INVALID', `service '${service.id}' has no organisation '${service.organisationId}'`);
  return { organisationId: service.organisationId, serviceId: service.id, sector };
}

function parseSubmittedAt(referral: ReferralSubmittedV1): Date {
  const submittedAt = new Date(referral.submittedAt);
  if (Number.isNaN(submittedAt.getTime())) {
    throw new PolkuError('ROUTER_REFERRAL_INVALID', `referral ${referral.referralId} has an unreadable submittedAt`, { status: 422 });
  }
  return submittedAt;
}
