import * as z from 'zod';
import { type HttpEvent, type HttpHandler, httpRoute, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform } from '#functions/lib/platform.ts';
import { formFields, header, rawBody } from '#functions/lib/request.ts';
import { errorBody, type HttpResult, html, json } from '#functions/lib/responses.ts';
import { LANGUAGES, type Language } from '#shared/classification/taxonomy.ts';
import { getPublicNumbers } from './contact.ts';
import { lookupStatus } from './lookup.ts';
import {
  type FormField,
  formatDateTime,
  formPage,
  messagePage,
  replyByText,
  replyDueText,
  resultPage,
  type StatusField,
  statusPage,
} from './pages.ts';
import { normaliseSecret, normaliseTypedReference } from './secret.ts';
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

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The language to answer a browser in: the one it wrote in, else its Accept-Language. */
function pageLanguage(event: HttpEvent, given: unknown): Language {
  return isLanguage(given) ? given : languageFromAcceptLanguage(header(event, 'accept-language'));
}

const site = () => ({ numbers: getPublicNumbers() });

const submit = httpRoute(
  { auth: 'public', schema: z.object({ body: SubmissionSchema }), accepts: ['json', 'form'] },
  async ({ input, event }) => {
    const result = await submitComplaint(await getPlatform(), input.body, isForm(event) ? 'form' : 'json');
    const status = result.created ? 201 : 200;
    const lang = input.body.language;
    if (wantsHtml(event)) {
      return html(
        resultPage(lang, {
          ...site(),
          reference: result.reference,
          secret: result.secret,
          ...(result.reply ? { reply: result.reply } : {}),
        }),
        status,
      );
    }
    return json(
      status,
      {
        reference: result.reference,
        secret: result.secret,
        ...(result.reply
          ? {
              reply: {
                workingDays: result.reply.workingDays,
                by: result.reply.by,
                text: replyByText(lang, result.reply),
              },
            }
          : {}),
      },
      NO_REFERRER,
    );
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

/** The fields a browser posted, when they can be read (not too large, valid UTF-8). */
function postedFields(event: HttpEvent): Record<string, string> {
  try {
    return isForm(event) ? formFields(rawBody(event)) : {};
  } catch {
    return {};
  }
}

/** What the person wrote, to put back into the form (never the bot trap or the page token). */
const keptValues = (posted: Record<string, string>): Partial<Record<FormField, string>> =>
  Object.fromEntries(FIELDS.map((f) => [f, posted[f]]).filter(([, v]) => v !== undefined));

/**
 * A refused post as a page: the form again with what the person wrote and the message above it, so nothing they
 * wrote is lost; a page with the message alone when nothing could be read.
 */
function refusedPage(lang: Language, posted: Record<string, string>, message: string, status: number) {
  if (!posted.description) return html(messagePage(lang, message, site()), status);
  return html(formPage(lang, { ...site(), state: { values: keptValues(posted), message } }), status);
}

/**
 * Turns a failed form post into a page: the form again, with what the person wrote and a message beside each
 * field to fix, or one message when the whole submission was refused. JSON clients keep the JSON error.
 */
function formAnswerForBrowsers(route: HttpHandler): HttpHandler {
  return async (event, context) => {
    const result = await route(event, context);
    if (result.statusCode < 400 || !wantsHtml(event)) return result;
    const posted = postedFields(event);
    const lang = pageLanguage(event, posted.language);
    const s = PUBLIC_STRINGS[lang];
    const error = (JSON.parse(result.body) as ReturnType<typeof errorBody>).error;
    if (error.code !== 'REQUEST.INVALID') {
      const message =
        error.code === 'REQUEST.TOO_LARGE'
          ? s.tooLarge
          : result.statusCode >= 500
            ? s.networkError
            : s.rejected;
      return refusedPage(lang, posted, message, result.statusCode);
    }
    const details = ('details' in error ? error.details : []) as { path: string }[];
    const errors = [
      ...new Set(
        details
          .map((d) => d.path.replace(/^body\.?/, '') as FormField)
          .filter((field) => FIELDS.includes(field)),
      ),
    ];
    return html(
      formPage(lang, { ...site(), state: { values: keptValues(posted), errors } }),
      result.statusCode,
    );
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
    const lang = pageLanguage(event, input.query.lang);
    const page = wantsHtml(event);
    // The no-JavaScript status form is a GET to /api/public/complaints/status with the reference as a field.
    const typedReference =
      input.query.reference ?? (input.path.reference === 'status' ? '' : input.path.reference);
    const typedSecret = input.headers['x-lookup-secret'] ?? input.query.secret;

    // Opened from a confirmation (a reference, never a secret, in the link): the form, filled in, nothing looked up.
    if (page && typedSecret === undefined) {
      return html(statusPage(lang, { ...site(), reference: typedReference }), 200);
    }

    const reference = normaliseTypedReference(typedReference);
    const secret = normaliseSecret(typedSecret ?? '');
    const bad: StatusField[] = [];
    if (!reference) bad.push('reference');
    if (!secret) bad.push('secret');
    if (!reference || !secret) return badLookup(lang, page, typedReference, bad);

    const view = await lookupStatus(await getPlatform(), reference, secret);
    if (page) {
      const answer = view
        ? statusPage(lang, { ...site(), view, reference: view.reference })
        : statusPage(lang, { ...site(), notFound: true, reference: typedReference });
      return html(answer, view ? 200 : 404);
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
        reference: view.reference,
        status: view.status,
        receivedAt: view.receivedAt,
        updatedAt: view.updatedAt,
        language: lang,
        statusName: s.statusNames[view.status],
        explanation: s.statusExplain[view.status],
        // Written out here so the page's script need not know each language's dates and plural forms.
        received: formatDateTime(lang, view.receivedAt),
        updated: formatDateTime(lang, view.updatedAt),
        ...(view.reply
          ? {
              reply: {
                workingDays: view.reply.workingDays,
                by: view.reply.by,
                text: replyDueText(lang, view.reply),
              },
            }
          : {}),
      },
      NO_REFERRER,
    );
  },
);

/**
 * What cannot be a reference or a secret is told at once, beside the field: it discloses nothing about any case,
 * unlike "no such case", which stays one answer for an unknown reference and a wrong secret.
 */
function badLookup(lang: Language, page: boolean, typedReference: string, bad: StatusField[]): HttpResult {
  if (page) return html(statusPage(lang, { ...site(), errors: bad, reference: typedReference }), 400);
  return json(
    400,
    errorBody(
      'REQUEST.INVALID',
      'The reference or the secret is not in the form the web form gives.',
      bad.map((path) => ({
        path,
        message:
          path === 'reference'
            ? 'must be 8 letters and digits, like K7MQ-4XZ9'
            : 'must be 12 letters and digits, like 7KQM-2XZP-9HTR',
      })),
    ),
    NO_REFERRER,
  );
}

/**
 * Turns a lookup the route refused as JSON (a reference or secret longer than any could be, a fault on our side)
 * into the status page for a browser, with the fields marked, so a person never lands on a bare error body.
 */
function lookupAnswerForBrowsers(route: HttpHandler): HttpHandler {
  return async (event, context) => {
    const result = await route(event, context);
    const isJson = String(result.headers?.['content-type'] ?? '').startsWith('application/json');
    if (result.statusCode < 400 || !isJson || !wantsHtml(event)) return result;
    const lang = pageLanguage(event, event.queryStringParameters?.lang);
    const error = (JSON.parse(result.body) as ReturnType<typeof errorBody>).error;
    if (error.code !== 'REQUEST.INVALID') {
      const s = PUBLIC_STRINGS[lang];
      return html(
        messagePage(lang, result.statusCode >= 500 ? s.networkError : s.rejected, site()),
        result.statusCode,
      );
    }
    const paths = (('details' in error ? error.details : []) as { path: string }[]).map((d) => d.path);
    const bad: StatusField[] = [];
    if (paths.some((p) => p.includes('reference'))) bad.push('reference');
    if (paths.some((p) => p.includes('secret'))) bad.push('secret');
    return html(statusPage(lang, { ...site(), errors: bad.length ? bad : ['reference', 'secret'] }), 400);
  };
}

/**
 * The answer to a public request refused for coming too often: JSON for scripts, and for a browser posting the
 * form without JavaScript a page in the language it wrote in, not a bare error body. The local stack's limiter
 * answers with it; API Gateway's own throttle in AWS cannot be given a body (see README, Known limits).
 */
export function throttledAnswer(event: HttpEvent): HttpResult {
  if (!wantsHtml(event)) {
    return json(429, errorBody('REQUEST.RATE_LIMITED', 'Too many requests; wait a minute and try again.'));
  }
  const posted = postedFields(event);
  const lang = pageLanguage(event, posted.language ?? event.queryStringParameters?.lang);
  return refusedPage(lang, posted, PUBLIC_STRINGS[lang].tooMany, 429);
}

export const handler = routeGroup({
  'POST /api/public/complaints': formAnswerForBrowsers(submit),
  'GET /api/public/complaints/{reference}': lookupAnswerForBrowsers(lookup),
});
