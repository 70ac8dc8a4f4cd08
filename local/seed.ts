import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import { installUserDirectory } from '#functions/admin/users.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { seedDefaults } from '#shared/config/defaults.ts';
import { LOCAL_USERS } from './users.ts';

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
  const written = await seedDefaults(store);
  const subscribed: string[] = [];
  for (const fp of await store.list('focal-point')) {
    if ((await subscribeFocalPoint(platform, fp)) !== undefined) subscribed.push(fp.focalPointId);
  }
  return { written, subscribed };
}
