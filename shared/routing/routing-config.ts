/** Reading the records routing and SLA are chosen from ("routing is data"). */
import { IRAQ_CALENDAR } from '../calendar/iraq-calendar.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { RoutingConfig } from './route-plan.ts';

/** The id of the working calendar the SLA clocks use. */
export const CALENDAR_ID = IRAQ_CALENDAR.id;

/** Reads the routing configuration (one query per kind); a missing calendar falls back to the built-in. */
export async function loadRoutingConfig(config: ConfigStore): Promise<RoutingConfig> {
  const [focalPoints, rules, slaPolicies, calendar, agencies] = await Promise.all([
    config.list('focal-point'),
    config.list('routing-rule'),
    config.list('sla-policy'),
    config.get('calendar', CALENDAR_ID),
    config.list('agency'),
  ]);
  return { focalPoints, rules, slaPolicies, calendar: calendar ?? IRAQ_CALENDAR, agencies };
}

/**
 * The longest a kept configuration answers while its generation stays the same: what a change made outside the
 * store (which does not raise the generation), or a write whose raise failed, takes at most to reach the router.
 */
export const ROUTING_CONFIG_MAX_KEEP_MS = 5 * 60_000;

/**
 * The routing configuration as the router reads it for each stream batch: the records are kept, and each call reads
 * only the configuration's generation (one consistent GetItem; see config-store.ts) and reads the records again
 * when it has moved, or when they are older than `maxKeepMs`. Reading every kind for every batch was about half the
 * router's DynamoDB requests (36 of 75 a case in `npm run bench:cost`); keeping the records cut the CPU time of the
 * 1,000-SMS load test by a fifth (162 to 132 s, 2026-12-05). A failed read is not kept.
 */
export function keptRoutingConfig(
  config: ConfigStore,
  maxKeepMs = ROUTING_CONFIG_MAX_KEEP_MS,
): () => Promise<RoutingConfig> {
  let kept: { generation: number; at: number; value: Promise<RoutingConfig> } | undefined;
  return async () => {
    const generation = await config.generation();
    // Wall time, not the platform's clock: a test's fixed or moved clock must not keep records for ever.
    const at = Date.now();
    if (kept && kept.generation === generation && at - kept.at < maxKeepMs) return kept.value;
    const entry = { generation, at, value: loadRoutingConfig(config) };
    kept = entry;
    entry.value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return entry.value;
  };
}
