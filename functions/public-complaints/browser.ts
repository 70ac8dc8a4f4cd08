import type { HttpEvent, HttpHandler } from '#functions/lib/http-route.ts';
import { formFields, header, rawBody } from '#functions/lib/request.ts';
import { errorBody, type HttpResult, html, json } from '#functions/lib/responses.ts';
import { getPublicNumbers } from './contact.ts';
import { FORM_FIELDS, type FormField, formPage, messagePage, type StatusField, statusPage } from './pages.ts';
import {
  languageFromAcceptLanguage,
  PUBLIC_LANGUAGES,
  PUBLIC_STRINGS,
  type PublicLanguage,
} from './strings.ts';

/**
 * Answers for browsers without JavaScript: whatever the routes refuse as JSON (a field to fix, a post refused, a
 * fault on our side, too many requests) comes back to a person as a page in their language, with what they wrote
 * kept, never as a bare error body. Scripts keep the JSON.
 */

export const isForm = (event: HttpEvent): boolean =>
  (header(event, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** A page, not JSON: the browser asked for HTML, or posted a form without asking for JSON. */
export function wantsHtml(event: HttpEvent): boolean {
  const accept = (header(event, 'accept') ?? '').toLowerCase();
  if (accept.includes('application/json')) return false;
  return accept.includes('text/html') || isForm(event);
}

const isLanguage = (value: unknown): value is PublicLanguage =>
  typeof value === 'string' && (PUBLIC_LANGUAGES as readonly string[]).includes(value);

/** The language to answer a browser in: the one its page was in, else its Accept-Language. */
export function pageLanguage(event: HttpEvent, given: unknown): PublicLanguage {
  return isLanguage(given) ? given : languageFromAcceptLanguage(header(event, 'accept-language'));
}

/** What every page needs from the deployment: its public numbers. */
export const site = () => ({ numbers: getPublicNumbers() });

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
  Object.fromEntries(FORM_FIELDS.map((f) => [f, posted[f]]).filter(([, v]) => v !== undefined));

/**
 * A refused post as a page: the form again with what the person wrote and the message above it, so nothing they
 * wrote is lost; a page with the message alone when nothing could be read.
 */
function refusedPage(lang: PublicLanguage, posted: Record<string, string>, message: string, status: number) {
  if (!posted.description) return html(messagePage(lang, message, site()), status);
  return html(formPage(lang, { ...site(), state: { values: keptValues(posted), message } }), status);
}

/**
 * Turns a failed form post into a page: the form again, with what the person wrote and a message beside each
 * field to fix, or one message when the whole submission was refused. JSON clients keep the JSON error.
 */
export function formAnswerForBrowsers(route: HttpHandler): HttpHandler {
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
          : error.code === 'PUBLIC.TOO_MANY_SUBMISSIONS'
            ? s.tooMany
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
          .filter((field) => FORM_FIELDS.includes(field)),
      ),
    ];
    return html(
      formPage(lang, { ...site(), state: { values: keptValues(posted), errors } }),
      result.statusCode,
    );
  };
}

/**
 * Turns a lookup the route refused as JSON (a reference or secret longer than any could be, a fault on our side)
 * into the status page for a browser, with the fields marked, so a person never lands on a bare error body.
 */
export function lookupAnswerForBrowsers(route: HttpHandler): HttpHandler {
  return async (event, context) => {
    const result = await route(event, context);
    const isJson = String(result.headers?.['content-type'] ?? '').startsWith('application/json');
    if (result.statusCode < 400 || !isJson || !wantsHtml(event)) return result;
    const posted = postedFields(event);
    const lang = pageLanguage(event, posted.lang ?? event.queryStringParameters?.lang);
    const reference = typedReference(posted);
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
    return html(
      statusPage(lang, { ...site(), reference, errors: bad.length ? bad : ['reference', 'secret'] }),
      400,
    );
  };
}

/** The reference a person typed into the status form, to give back to them (the secret is never given back). */
const typedReference = (posted: Record<string, string>): string | undefined =>
  posted.reference && posted.reference.length <= 20 ? posted.reference : undefined;

/** The no-JavaScript status form's post (`POST /api/public/complaints/status`). */
const isStatusPost = (event: HttpEvent): boolean =>
  event.requestContext.http.method === 'POST' && event.rawPath === '/api/public/complaints/status';

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
  const lang = pageLanguage(event, posted.language ?? posted.lang ?? event.queryStringParameters?.lang);
  if (isStatusPost(event)) {
    const message = PUBLIC_STRINGS[lang].tooMany;
    return html(statusPage(lang, { ...site(), reference: typedReference(posted), message }), 429);
  }
  return refusedPage(lang, posted, PUBLIC_STRINGS[lang].tooMany, 429);
}
