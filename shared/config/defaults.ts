/**
 * Seed configuration: what a fresh installation (and the local stack) starts with, for admins to edit.
 *
 * Focal points and their escalation chain: the general accountability officer, the PSEA focal point and the
 * fraud/misconduct focal point all escalate to the CFM supervisor, who escalates to the programme manager.
 * Routing: sexual exploitation and abuse (C07) and anything S3 go to the PSEA focal point; staff conduct,
 * fraud and data breaches (C05, C06, C09) and anything else S2 go to the misconduct focal point; everything
 * else to the general officer. Restricted rules carry a higher priority so they always win over the default.
 */
import { IRAQ_CALENDAR } from '../calendar/iraq-calendar.ts';
import { DEFAULT_SLA_POLICIES } from '../sla/default-policies.ts';
import type { ConfigKind, ConfigStore } from './config-store.ts';
import {
  type Agency,
  type Calendar,
  type FocalPoint,
  FocalPointSchema,
  type NotificationChannel,
  type Partner,
  type RoutingRule,
  RoutingRuleSchema,
  type SlaPolicy,
} from './schemas.ts';

export interface PlatformConfig {
  focalPoints: FocalPoint[];
  routingRules: RoutingRule[];
  slaPolicies: SlaPolicy[];
  calendars: Calendar[];
  /** Referral partners are each organisation's own: none by default (the local stack seeds examples). */
  partners?: Partner[];
  /** Agencies (shared/agencies): none by default, which is one implicit agency (the local stack seeds a second). */
  agencies?: Agency[];
}

export interface DefaultConfigOptions {
  /** Where each seeded focal point is notified; by default the local stack's inbox, one mailbox each. */
  channelFor?: (focalPointId: string) => NotificationChannel;
}

const localInbox = (focalPointId: string): NotificationChannel => ({ type: 'local', address: focalPointId });

/** The seed records, validated. */
export function defaultConfig({ channelFor = localInbox }: DefaultConfigOptions = {}): PlatformConfig {
  const fp = (focalPointId: string, rest: Omit<FocalPoint, 'focalPointId' | 'channel' | 'active'>) =>
    FocalPointSchema.parse({ focalPointId, channel: channelFor(focalPointId), ...rest });
  const focalPoints = [
    fp('accountability-officer', {
      name: 'Accountability officer (general feedback)',
      kind: 'general',
      restricted: false,
      escalatesTo: 'cfm-supervisor',
    }),
    fp('psea-focal-point', {
      name: 'PSEA focal point',
      kind: 'psea',
      restricted: true,
      escalatesTo: 'cfm-supervisor',
    }),
    fp('misconduct-focal-point', {
      name: 'Fraud and misconduct focal point',
      kind: 'fraud',
      restricted: true,
      escalatesTo: 'cfm-supervisor',
    }),
    fp('cfm-supervisor', {
      name: 'CFM supervisor',
      kind: 'supervisor',
      restricted: true,
      escalatesTo: 'programme-manager',
    }),
    fp('programme-manager', { name: 'Programme manager', kind: 'programme_manager', restricted: true }),
  ];
  const routingRules = [
    { ruleId: 'default', name: 'Everything else', isDefault: true, focalPoints: ['accountability-officer'] },
    {
      ruleId: 'psea-sexual-exploitation',
      name: 'Sexual exploitation, abuse or harassment (C07)',
      priority: 100,
      match: { categories: ['C07'] },
      focalPoints: ['psea-focal-point'],
    },
    {
      ruleId: 'psea-s3',
      name: 'Any S3 case (child safeguarding, aid worker involved)',
      priority: 100,
      match: { sensitivities: ['S3'] },
      focalPoints: ['psea-focal-point'],
    },
    {
      ruleId: 'misconduct-categories',
      name: 'Staff conduct, fraud, data breach (C05, C06, C09)',
      priority: 50,
      match: { categories: ['C05', 'C06', 'C09'] },
      focalPoints: ['misconduct-focal-point'],
    },
    {
      ruleId: 'misconduct-s2',
      name: 'Any other S2 case (including unclear ones awaiting review)',
      priority: 50,
      match: { sensitivities: ['S2'] },
      focalPoints: ['misconduct-focal-point'],
    },
  ].map((r) => RoutingRuleSchema.parse(r));
  return {
    focalPoints,
    routingRules,
    slaPolicies: [...DEFAULT_SLA_POLICIES],
    calendars: [IRAQ_CALENDAR],
  };
}

/**
 * Writes the seed records that are not there yet (an admin's edits survive a restart); returns how many of
 * each kind it wrote.
 */
export async function seedDefaults(
  store: ConfigStore,
  config: PlatformConfig = defaultConfig(),
): Promise<Record<Exclude<ConfigKind, 'agency'>, number> & { agency?: number }> {
  // Agencies are counted only where some were given: a single-agency deployment's seed says nothing of them.
  const written: Record<Exclude<ConfigKind, 'agency'>, number> & { agency?: number } = {
    'focal-point': 0,
    'routing-rule': 0,
    'sla-policy': 0,
    calendar: 0,
    partner: 0,
    ...(config.agencies ? { agency: 0 } : {}),
  };
  const seed = async (kind: ConfigKind, records: readonly unknown[]) => {
    for (const r of records) if (await store.putIfAbsent(kind, r)) written[kind] = (written[kind] ?? 0) + 1;
  };
  await seed('focal-point', config.focalPoints);
  await seed('routing-rule', config.routingRules);
  await seed('sla-policy', config.slaPolicies);
  await seed('calendar', config.calendars);
  await seed('partner', config.partners ?? []);
  if (config.agencies) await seed('agency', config.agencies);
  return written;
}
