import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import { installUserDirectory } from '#functions/admin/users.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { defaultConfig, seedDefaults } from '#shared/config/defaults.ts';
import type { NotificationChannel, Partner } from '#shared/config/schemas.ts';
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
 * point, and the local users for `GET /api/admin/users`. The gazetteer is a data file and needs no seeding.
 * Safe to run any number of times.
 */
export async function seed(
  platform: Platform,
): Promise<{ written: Record<string, number>; subscribed: string[] }> {
  installUserDirectory(async () => LOCAL_USERS);
  const store = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const written = await seedDefaults(store, {
    ...defaultConfig({ channelFor: localChannel }),
    partners: LOCAL_PARTNERS,
  });
  const subscribed: string[] = [];
  for (const fp of await store.list('focal-point')) {
    if ((await subscribeFocalPoint(platform, fp)) !== undefined) subscribed.push(fp.focalPointId);
  }
  return { written, subscribed };
}
