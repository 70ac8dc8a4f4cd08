import { describe, expect, it } from 'vitest';
import { matchAdminRoute } from '#functions/admin/spec.ts';
import { openApiDocument } from '#functions/openapi/document.ts';
import { ROUTES } from '#functions/routes.ts';

type Op = {
  security: unknown[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: { name: string; in: string }[];
};

describe('the generated OpenAPI document', () => {
  const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, Op>> };

  it('is OpenAPI 3.1 with every route of the table (the admin proxy expanded into its sub-routes)', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) {
      if (r.path.includes('{proxy+}')) continue;
      expect(doc.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    }
    expect(Object.keys(doc.paths).filter((p) => p.includes('{proxy+}'))).toEqual([]);
    expect(doc.paths['/api/admin/focal-points/{id}']?.delete).toBeDefined();
    expect(doc.paths['/api/admin/calendar']?.put).toBeDefined();
  });

  it('asks for a bearer token on staff routes and none on public ones', () => {
    expect(doc.paths['/api/classify']?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/admin/routing-rules']?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/webhooks/twilio/sms']?.post?.security).toEqual([]);
  });

  it('describes request bodies from the zod schemas', () => {
    const classify = doc.paths['/api/classify']?.post?.requestBody?.content['application/json']?.schema;
    expect(classify).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string', maxLength: 5000 } },
      required: ['text'],
    });
    const fp = doc.paths['/api/admin/focal-points']?.post?.requestBody?.content['application/json']
      ?.schema as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(fp.required).toEqual(expect.arrayContaining(['focalPointId', 'name', 'kind', 'channel']));
    expect(fp.properties.kind).toMatchObject({ enum: expect.arrayContaining(['psea', 'fraud', 'general']) });
  });

  it('lists path parameters, with the pattern the route parses them with where it has one', () => {
    const [id, ...more] = doc.paths['/api/cases/{id}']?.get?.parameters ?? [];
    expect(more).toEqual([]);
    expect(id).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    const pattern = new RegExp((id as unknown as { schema: { pattern: string } }).schema.pattern);
    expect(pattern.test('K7MQ-4XZ9')).toBe(true);
    expect(pattern.test('not a reference')).toBe(false);
    expect(doc.paths['/webhooks/twilio/voice/{step}']?.post?.parameters).toEqual([
      { name: 'step', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('gives each case route its real success status and the errors it can answer with', () => {
    const statuses = (method: string, path: string) =>
      Object.keys(
        (doc.paths[path]?.[method] as unknown as { responses: Record<string, unknown> } | undefined)
          ?.responses ?? {},
      );
    expect(statuses('post', '/api/cases')).toEqual(
      expect.arrayContaining(['201', '200', '400', '413', '415']),
    );
    expect(statuses('post', '/api/cases/{id}/transitions')).toEqual(
      expect.arrayContaining(['200', '404', '409', '428']),
    );
    expect(statuses('post', '/api/cases/{id}/transitions')).not.toContain('201');
    expect(statuses('post', '/api/cases/lookup')).toContain('200');
    expect(statuses('post', '/api/cases/lookup')).not.toContain('201');
    expect(statuses('post', '/api/cases/{id}/notes')).toContain('201');
  });
});

describe('admin sub-routes', () => {
  it('matches collection and item paths, and tells a wrong method from an unknown path', () => {
    expect(matchAdminRoute('GET', 'focal-points')).toMatchObject({ route: { operation: 'listFocalPoints' } });
    expect(matchAdminRoute('PUT', 'routing-rules/ninewa')).toMatchObject({
      route: { operation: 'updateRoutingRule' },
      id: 'ninewa',
    });
    expect(matchAdminRoute('PATCH', 'calendar')).toBe('method-not-allowed');
    expect(matchAdminRoute('GET', 'nothing-here')).toBeUndefined();
    expect(matchAdminRoute('GET', 'focal-points/a/b')).toBeUndefined();
  });
});
