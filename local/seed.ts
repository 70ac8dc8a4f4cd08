import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import { installUserDirectory } from '#functions/admin/users.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { defaultConfig, seedDefaults } from '#shared/config/defaults.ts';
import {
  type Agency,
  AgencySchema,
  type FocalPoint,
  FocalPointSchema,
  type NotificationChannel,
  type Partner,
  type RoutingRule,
  RoutingRuleSchema,
} from '#shared/config/schemas.ts';
import { LOCAL_USERS } from './users.ts';

/** Example referral partners, so a referral can be tried locally; real ones are each organisation's own. */
export const LOCAL_PARTNERS: Partner[] = [
  {
    partnerId: 'legal-aid',
    name: 'Legal aid partner (civil documentation, housing, land and property)',
    contact: { person: 'Referral desk', email: 'referrals@legal-aid.example.org' },
    receives: [
      'type',
      'category',
      'sector',
      'urgency',
      'governorate',
      'district',
      'language',
      'narrative',
      'phone',
    ],
    sectors: ['documentation_hlp'],
    active: true,
  },
  {
    partnerId: 'shelter-partner',
    name: 'Shelter partner (repairs and shelter kits)',
    contact: { person: 'Shelter focal point', phone: '+9647500000101' },
    receives: ['type', 'category', 'sector', 'urgency', 'governorate', 'district', 'narrative'],
    sectors: ['shelter'],
    active: true,
  },
  {
    partnerId: 'mhpss-partner',
    name: 'MHPSS partner (psychosocial support)',
    contact: { email: 'intake@mhpss.example.org' },
    receives: ['type', 'category', 'urgency', 'governorate', 'language', 'narrative', 'name', 'phone'],
    sectors: ['mhpss'],
    active: true,
  },
];

/**
 * A second agency on the same hotline, so that a deployment serving several organisations can be tried locally:
 * its own public number (text or call it with `npm run sms -- --to +9647700000222 …`), its own focal points and
 * rules, and its own users (local/users.ts). The default agency is everything else, as in a deployment without
 * agencies.
 */
export const LOCAL_AGENCY_B = 'agency-b';
export const LOCAL_AGENCY_B_NUMBER = '+9647700000222';
export const LOCAL_AGENCIES: Agency[] = [
  AgencySchema.parse({ agencyId: LOCAL_AGENCY_B, name: 'Agency B', numbers: [LOCAL_AGENCY_B_NUMBER] }),
];
const LOCAL_AGENCY_B_FOCAL_POINTS: FocalPoint[] = [
  FocalPointSchema.parse({
    focalPointId: 'agency-b-officer',
    name: 'Agency B accountability officer',
    agency: LOCAL_AGENCY_B,
    kind: 'general',
    channel: { type: 'local', address: 'agency-b-officer' },
  }),
  FocalPointSchema.parse({
    focalPointId: 'agency-b-psea',
    name: 'Agency B PSEA focal point',
    agency: LOCAL_AGENCY_B,
    kind: 'psea',
    restricted: true,
    channel: { type: 'local', address: 'agency-b-psea' },
  }),
];
const LOCAL_AGENCY_B_RULES: RoutingRule[] = [
  {
    ruleId: 'agency-b-default',
    name: 'Agency B: everything else',
    isDefault: true,
    focalPoints: ['agency-b-officer'],
  },
  {
    ruleId: 'agency-b-restricted',
    name: 'Agency B: restricted cases',
    priority: 100,
    match: { sensitivities: ['S2', 'S3'] },
    focalPoints: ['agency-b-psea'],
  },
].map((r) => RoutingRuleSchema.parse({ ...r, agency: LOCAL_AGENCY_B }));

/**
 * The general accountability officer's phone: the seeded focal point whose notifications go by SMS, so its short
 * codes can be tried locally (`npm run sms -- --from +9647501112233 "ACK K7MQ-4XZ9"`). The local stack delivers
 * every focal point's notifications to its inbox whatever the channel.
 */
export const LOCAL_FOCAL_POINT_PHONE = '+9647501112233';

const localChannel = (focalPointId: string): NotificationChannel =>
  focalPointId === 'accountability-officer'
    ? { type: 'sms', address: LOCAL_FOCAL_POINT_PHONE }
    : { type: 'local', address: focalPointId };

/**
 * Seeds the local stack: the default focal points, routing rules, SLA policies and the Iraq calendar (records
 * already there are left alone, so an admin's edits survive a restart), a subscription for every active focal
 * point, and the local users for `GET /api/admin/users`. With `agencies`, a second agency as well ({@link LOCAL_AGENCIES}:
 * the local stack's), so a deployment serving several organisations can be tried; without it the records are a
 * single-agency deployment's. The gazetteer is a data file and needs no seeding.
 * Safe to run any number of times.
 */
export async function seed(
  platform: Platform,
  options: { agencies?: boolean } = {},
): Promise<{ written: Record<string, number>; subscribed: string[] }> {
  installUserDirectory(async () => LOCAL_USERS);
  const store = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const defaults = defaultConfig({ channelFor: localChannel });
  const written = await seedDefaults(store, {
    ...defaults,
    ...(options.agencies
      ? {
          focalPoints: [...defaults.focalPoints, ...LOCAL_AGENCY_B_FOCAL_POINTS],
          routingRules: [...defaults.routingRules, ...LOCAL_AGENCY_B_RULES],
          agencies: LOCAL_AGENCIES,
        }
      : {}),
    partners: LOCAL_PARTNERS,
  });
  const subscribed: string[] = [];
  for (const fp of await store.list('focal-point')) {
    if ((await subscribeFocalPoint(platform, fp)) !== undefined) subscribed.push(fp.focalPointId);
  }
  return { written, subscribed };
}
