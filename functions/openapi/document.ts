import * as z from 'zod';
import { ROUTES, type RouteSpec, routeKey } from '../routes.ts';
import { ADMIN_SUBROUTES, ROUTE_SCHEMAS, type RouteSchemas } from './schemas.ts';

type JsonObject = Record<string, unknown>;

const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12, without its own `$schema`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

const pathParams = (path: string) =>
  [...path.matchAll(/\{(\w+)\+?\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));

function operation(
  spec: Pick<RouteSpec, 'method' | 'path' | 'group' | 'auth'>,
  schemas?: RouteSchemas,
): JsonObject {
  const staff = spec.auth !== 'public';
  const ok = schemas?.response ?? { status: spec.method === 'POST' ? 201 : 200 };
  const params = pathParams(spec.path);
  return {
    operationId: `${spec.method.toLowerCase()}${spec.path.replace(/[{}+]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [spec.group],
    ...(schemas?.summary ? { summary: schemas.summary } : {}),
    ...(staff ? { description: `Roles: ${(spec.auth as readonly string[]).join(', ')}.` } : {}),
    security: staff ? [{ bearerAuth: [] }] : [],
    ...(params.length ? { parameters: params } : {}),
    ...(schemas?.body
      ? {
          requestBody: {
            required: true,
            content: { [schemas.body.contentType]: { schema: jsonSchema(schemas.body.schema, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(ok.status)]: {
        description: ok.status === 204 ? 'No content' : 'Success',
        ...(ok.schema
          ? { content: { 'application/json': { schema: jsonSchema(ok.schema, 'output') } } }
          : {}),
      },
      ...(staff
        ? { '401': { $ref: '#/components/responses/Error' }, '403': { $ref: '#/components/responses/Error' } }
        : {}),
      default: { $ref: '#/components/responses/Error' },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route table (functions/routes.ts) and the zod
 * schemas of the routes that export theirs. The admin proxy route is expanded into its sub-routes.
 */
export function openApiDocument(options: { serverUrl?: string } = {}): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const add = (path: string, method: string, op: JsonObject) => {
    paths[path] = { ...(paths[path] ?? {}), [method.toLowerCase()]: op };
  };
  for (const spec of ROUTES) {
    if (spec.group === 'admin') continue;
    add(spec.path, spec.method, operation(spec, ROUTE_SCHEMAS[routeKey(spec)]));
  }
  const adminAuth = ROUTES.find((r) => r.group === 'admin')?.auth ?? ['admin'];
  for (const sub of ADMIN_SUBROUTES) {
    add(
      sub.path,
      sub.method,
      operation({ method: sub.method, path: sub.path, group: 'admin', auth: adminAuth }, sub.schemas),
    );
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Complaints and feedback platform API',
      version: '1.0.0',
      description: 'Generated from the route table and the zod schemas; staff routes take a Cognito JWT.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: jsonSchema(ErrorSchema, 'output') },
      responses: {
        Error: {
          description: 'An error with a stable code',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
