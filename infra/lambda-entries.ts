import { ROUTE_GROUPS, type RouteGroup, WORKERS } from '#functions/routes.ts';

export type WorkerName = keyof typeof WORKERS;
export type FunctionName = RouteGroup | WorkerName;

/** One deployed Lambda: its short name and its handler module, relative to the repository root. */
export interface LambdaEntry {
  name: FunctionName;
  entry: string;
  kind: 'http' | (typeof WORKERS)[WorkerName]['kind'];
}

/**
 * Every Lambda the app deploys, from the route table: one per HTTP route group, one per worker. The stateless
 * stack and the bundle benchmark both read this list.
 */
export function lambdaEntries(): LambdaEntry[] {
  return [
    ...ROUTE_GROUPS.map(
      (name): LambdaEntry => ({ name, entry: `functions/${name}/handler.ts`, kind: 'http' }),
    ),
    ...(Object.keys(WORKERS) as WorkerName[]).map(
      (name): LambdaEntry => ({ name, entry: WORKERS[name].handler, kind: WORKERS[name].kind }),
    ),
  ];
}
