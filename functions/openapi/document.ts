import * as z from 'zod';
import type { RouteContract } from '../cases/schemas.ts';
import { ROUTES, type RouteSpec, routeKey } from '../routes.ts';
import { ADMIN_SUBROUTES, ROUTE_CONTRACTS, ROUTE_SCHEMAS, type RouteSchemas } from './schemas.ts';

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

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'The request is not valid (code and failing fields in the body)',
  401: 'No valid token',
  403: 'The caller’s role may not do this',
  404: 'No such case, or not one the caller may see',
  409: 'The case changed since the caller read it (CASE.VERSION_CONFLICT, naming who), or the move is not allowed from its status',
  413: 'The body is too large',
  415: 'The body is not JSON',
  428: 'If-Match is missing (CASE.PRECONDITION_REQUIRED)',
};

const HEADER_NAMES: Readonly<Record<string, string>> = {
  'if-match': 'If-Match',
  'idempotency-key': 'Idempotency-Key',
};

/** The parts of a route's one schema: `{ path, query, headers, body }`. */
function parts(schema: z.ZodType): Partial<Record<'path' | 'query' | 'headers' | 'body', z.ZodType>> {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

/** Path, query and header parameters, from the same schemas the handler parses with. */
function contractParameters(contract: RouteContract): JsonObject[] {
  const out: JsonObject[] = [];
  const { path, query, headers } = parts(contract.schema);
  for (const [where, schema] of [
    ['path', path],
    ['query', query],
    ['header', headers],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, 'input') as {
      properties?: Record<string, JsonObject>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property as { description?: string } & JsonObject;
      out.push({
        name: where === 'header' ? (HEADER_NAMES[name] ?? name) : name,
        in: where,
        // If-Match is optional to the parser only so that its absence answers 428 rather than 400.
        required: where === 'path' || name === 'if-match' || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

function contractOperation(spec: RouteSpec, contract: RouteContract): JsonObject {
  const base = operation(spec);
  const params = contractParameters(contract);
  const body = parts(contract.schema).body;
  return {
    ...base,
    summary: contract.summary,
    ...(params.length ? { parameters: params } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(body, 'input') } },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(contract.ok).map(([status, description]) => [status, { description }]),
      ),
      ...Object.fromEntries(
        [...contract.errors, 401, 403].map((status) => [
          String(status),
          { description: ERROR_TEXT[status] ?? 'Error', ...errorContent },
        ]),
      ),
      default: { $ref: '#/components/responses/Error' },
    },
  };
}

const errorContent = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

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
    const contract = ROUTE_CONTRACTS[routeKey(spec)];
    add(
      spec.path,
      spec.method,
      contract ? contractOperation(spec, contract) : operation(spec, ROUTE_SCHEMAS[routeKey(spec)]),
    );
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
