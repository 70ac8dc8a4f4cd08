import * as z from 'zod';
import { type HttpEvent, type HttpHandler, httpRoute, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform } from '#functions/lib/platform.ts';
import { formFields, header, rawBody } from '#functions/lib/request.ts';
import { errorBody, html, json } from '#functions/lib/responses.ts';
import { LANGUAGES, type Language } from '#shared/classification/taxonomy.ts';
import { lookupStatus } from './lookup.ts';
import { type FormField, formPage, messagePage, resultPage, statusPage } from './pages.ts';
import { languageFromAcceptLanguage, PUBLIC_STRINGS } from './strings.ts';
import { SubmissionSchema, submitComplaint } from './submit.ts';

/**
 * The public web intake: `POST /api/public/complaints` (JSON from the page's script, or a plain form post when
 * JavaScript is off) and `GET /api/public/complaints/{reference}` (status for the holder of the secret).
 * Browsers without JavaScript get whole pages back, in the language they wrote in; scripts get JSON.
 */

const NO_REFERRER = { 'referrer-policy': 'no-referrer' };

const isForm = (event: HttpEvent): boolean =>
  (header(event, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** A page, not JSON: the browser asked for HTML, or posted a form without asking for JSON. */
export function wantsHtml(event: HttpEvent): boolean {
  const accept = (header(event, 'accept') ?? '').toLowerCase();
  if (accept.includes('application/json')) return false;
  return accept.includes('text/html') || isForm(event);
}

/**
 * The address a submission's budget is counted on: the viewer's, as CloudFront reports it in
 * `CloudFront-Viewer-Address` (`<ip>:<port>`), when the request came through the site; otherwise the address API
 * Gateway saw. A caller that reaches the API directly can set that header itself; the route's throttle still holds it.
 */
export function clientAddress(event: HttpEvent): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  const ip = viewer?.slice(0, viewer.lastIndexOf(':') > 0 ? viewer.lastIndexOf(':') : undefined).trim();
  return ip || event.requestContext.http.sourceIp;
}

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The language to answer a browser in: the one it wrote in, else its Accept-Language. */
function pageLanguage(event: HttpEvent, given: unknown): Language {
  return isLanguage(given) ? given : languageFromAcceptLanguage(header(event, 'accept-language'));
}

const submit = httpRoute(
  { auth: 'public', schema: z.object({ body: SubmissionSchema }), accepts: ['json', 'form'] },
  async ({ input, event }) => {
    const result = await submitComplaint(
      await getPlatform(),
      input.body,
      isForm(event) ? 'form' : 'json',
      clientAddress(event),
    );
    const status = result.created ? 201 : 200;
    if (wantsHtml(event))
      return html(resultPage(input.body.language, result.reference, result.secret), status);
    return json(status, { reference: result.reference, secret: result.secret }, NO_REFERRER);
  },
);

const FIELDS: readonly FormField[] = [
  'about',
  'description',
  'governorate',
  'district',
  'name',
  'phone',
  'consent',
  'populationGroup',
  'sex',
  'ageBand',
];

/**
 * Turns a failed form post into a page: the form again, with what the person wrote and a message beside each
 * field to fix, or one message when the whole submission was refused. JSON clients keep the JSON error.
 */
function formAnswerForBrowsers(route: HttpHandler): HttpHandler {
  return async (event, context) => {
    const result = await route(event, context);
    if (result.statusCode < 400 || !wantsHtml(event)) return result;
    let submitted: Record<string, string> = {};
    try {
      if (isForm(event)) submitted = formFields(rawBody(event));
    } catch {
      // too large or not UTF-8: answer without the values
    }
    const lang = pageLanguage(event, submitted.language);
    const s = PUBLIC_STRINGS[lang];
    const error = (JSON.parse(result.body) as ReturnType<typeof errorBody>).error;
    if (error.code !== 'REQUEST.INVALID') {
      const message =
        error.code === 'REQUEST.TOO_LARGE'
          ? s.tooLarge
          : error.code === 'PUBLIC.TOO_MANY_SUBMISSIONS'
            ? s.tooMany
            : s.rejected;
      return html(messagePage(lang, message), result.statusCode);
    }
    const details = ('details' in error ? error.details : []) as { path: string }[];
    const errors: Partial<Record<FormField, string>> = {};
    for (const d of details) {
      const field = d.path.replace(/^body\.?/, '') as FormField;
      if (!FIELDS.includes(field)) continue;
      errors[field] =
        field === 'description'
          ? s.errDescription
          : field === 'phone'
            ? s.errPhone
            : field === 'governorate' || field === 'district'
              ? s.errPlace
              : s.errField;
    }
    const values = Object.fromEntries(
      FIELDS.map((f) => [f, submitted[f]]).filter(([, v]) => v !== undefined),
    );
    return html(formPage(lang, { values, errors }), result.statusCode);
  };
}

const lookup = httpRoute(
  {
    auth: 'public',
    schema: z.object({
      path: z.object({ reference: z.string().max(200) }),
      query: z.object({
        reference: z.string().max(200).optional(),
        secret: z.string().max(200).optional(),
        lang: z.string().max(16).optional(),
      }),
      headers: z.object({ 'x-lookup-secret': z.string().max(200).optional() }),
    }),
  },
  async ({ input, event }) => {
    // The no-JavaScript status form is a GET to /api/public/complaints/status with the reference as a field.
    const referenceInput = input.query.reference ?? input.path.reference;
    const secretInput = input.headers['x-lookup-secret'] ?? input.query.secret ?? '';
    const view = await lookupStatus(await getPlatform(), referenceInput, secretInput);
    const lang = pageLanguage(event, input.query.lang);
    if (wantsHtml(event)) {
      const page = view
        ? statusPage(lang, { view, reference: view.reference })
        : statusPage(lang, { notFound: true });
      return html(page, view ? 200 : 404);
    }
    if (!view) {
      return json(
        404,
        errorBody('COMPLAINT.NOT_FOUND', 'No complaint matches this reference and secret.'),
        NO_REFERRER,
      );
    }
    const s = PUBLIC_STRINGS[lang];
    return json(
      200,
      {
        ...view,
        language: lang,
        statusName: s.statusNames[view.status],
        explanation: s.statusExplain[view.status],
      },
      NO_REFERRER,
    );
  },
);

export const handler = routeGroup({
  'POST /api/public/complaints': formAnswerForBrowsers(submit),
  'GET /api/public/complaints/{reference}': lookup,
});
