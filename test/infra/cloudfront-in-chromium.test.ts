import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { runInNewContext } from 'node:vm';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { ensureConsoleBuilt } from '../../web/scripts/sizes.ts';
import { resourcesOf, synthPlatform } from './synth.ts';

/**
 * The pages as CloudFront will serve them, in Chromium: a small server plays the distribution from the
 * synthesised template (its viewer-request function's code and its response headers policy, CSP included) over
 * the real web/public and web/dist, and the browser reports anything the CSP blocks. The API behind /api/* is
 * not part of this test; it answers 503 here.
 */
const SHOTS = join(PROJECT_ROOT, 'test-artifacts', 'screenshots');
const PUBLIC = join(PROJECT_ROOT, 'web', 'public');
const DIST = join(PROJECT_ROOT, 'web', 'dist');
const REGION = 'me-central-1';
const SIGN_IN_PREFIX = 'cfm-prod-staff-123456789012';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

type Props = Record<string, unknown>;

/** The distribution's viewer-request function and response headers, read from the prod template. */
function edgeFromTemplate() {
  const s = synthPlatform('prod', { webPublicDir: PUBLIC, webDistDir: DIST });
  // The site the PublicPages deployment uploads: pages rendered at synth, with web/public's files.
  const site = s.stateless.publicSiteDir;
  if (!site) throw new Error('the synth rendered no public site from web/public');
  const fn = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudFront::Function'))[0]!;
  const rewrite = runInNewContext(`${fn.Properties.FunctionCode as string}\nhandler`) as (e: {
    request: { uri: string };
  }) => { uri?: string; statusCode?: number; headers?: { location: { value: string } } };
  const policy = Object.values(
    resourcesOf(s.statelessTemplate, 'AWS::CloudFront::ResponseHeadersPolicy'),
  )[0]!;
  const config = policy.Properties.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: Props & {
      ContentSecurityPolicy: { ContentSecurityPolicy: { 'Fn::Join': [string, unknown[]] } };
      StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains: boolean };
      FrameOptions: { FrameOption: string };
      ReferrerPolicy: { ReferrerPolicy: string };
    };
    CustomHeadersConfig: { Items: { Header: string; Value: string }[] };
  };
  const sec = config.SecurityHeadersConfig;
  // Resolved as CloudFormation would: pseudo parameters, and the sign-in domain's prefix from the stateful stack.
  const csp = sec.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'][1]
    .map((p) => {
      if (typeof p === 'string') return p;
      if ((p as Props)['Fn::GetStackOutput']) return SIGN_IN_PREFIX;
      return { 'AWS::Region': REGION, 'AWS::URLSuffix': 'amazonaws.com' }[(p as { Ref: string }).Ref];
    })
    .join('');
  const headers: Record<string, string> = {
    'content-security-policy': csp,
    'strict-transport-security': `max-age=${sec.StrictTransportSecurity.AccessControlMaxAgeSec}${sec.StrictTransportSecurity.IncludeSubdomains ? '; includeSubDomains' : ''}`,
    'x-frame-options': sec.FrameOptions.FrameOption,
    'referrer-policy': sec.ReferrerPolicy.ReferrerPolicy,
    'x-content-type-options': 'nosniff',
  };
  for (const h of config.CustomHeadersConfig.Items) headers[h.Header.toLowerCase()] = h.Value;
  return { viewerRequest: (uri: string) => rewrite({ request: { uri } }), headers, site };
}

let server: Server;
let browser: Browser;
let base = '';

/** What the Console deployment writes next to the console (infra/constructs/web-hosting.ts), with made-up ids. */
const CONSOLE_CONFIG = {
  apiUrl: '',
  region: REGION,
  userPoolId: `${REGION}_Example1`,
  userPoolClientId: 'exampleclientid',
  clientId: 'exampleclientid',
  userPoolDomain: `${SIGN_IN_PREFIX}.auth.${REGION}.amazoncognito.com`,
  stage: 'prod',
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ensureConsoleBuilt();
  const edge = edgeFromTemplate();
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://edge').pathname);
    for (const [k, v] of Object.entries(edge.headers)) res.setHeader(k, v);
    if (path.startsWith('/api/')) {
      res.writeHead(503).end();
      return;
    }
    const answer = edge.viewerRequest(path);
    if (answer.statusCode) {
      res.writeHead(answer.statusCode, { location: answer.headers?.location.value ?? '/' }).end();
      return;
    }
    const uri = answer.uri ?? path;
    if (uri === '/console/config.json') {
      const config = { ...CONSOLE_CONFIG, redirectUri: `${base}/console/` };
      res.writeHead(200, { 'content-type': TYPES['.json']! }).end(JSON.stringify(config));
      return;
    }
    const [root, rel] = uri.startsWith('/console/')
      ? [DIST, uri.slice('/console/'.length)]
      : [edge.site, uri.slice(1)];
    const file = normalize(join(root, rel));
    // S3 through Origin Access Control answers 403 for a key it does not have.
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(403).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens `path` and collects what the CSP refused, from the browser's own violation reports. */
async function open(page: Page, path: string) {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) refused.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
      (window as unknown as { cspViolations: string[] }).cspViolations.push(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  const response = await page.goto(`${base}${path}`);
  await page.waitForLoadState('load');
  const reported = await page.evaluate(
    () => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [],
  );
  return { status: response?.status(), refused: [...refused, ...reported] };
}

describe('the web pages under CloudFront’s headers, in Chromium', () => {
  it('the Arabic form on a phone: styled, its script running, nothing refused by the CSP', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'ar-IQ',
    });
    const page = await context.newPage();
    const { status, refused } = await open(page, '/ar/');
    expect(status).toBe(200);
    expect(refused).toEqual([]);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // The inline stylesheet applied (the CSP allows inline styles): the send button has the form's colour.
    expect(await page.$eval('#send', (b) => getComputedStyle(b).backgroundColor)).toBe('rgb(11, 79, 108)');
    // The script (script-src 'self') runs: choosing a governorate leaves only its districts.
    await page.selectOption('#governorate', 'IQG09');
    const districts = await page.$$eval('#district option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(districts.filter(Boolean).every((d) => d.startsWith('IQG09'))).toBe(true);
    // No wider than the phone (issue #14: an off-screen field once made it about 10,000 px wide).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(SHOTS, 'infra-cloudfront-form-ar-phone.png'), fullPage: true });
    await context.close();
  });

  it('pages linked without their extension open: /complaint and the status page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const complaint = await open(page, '/complaint');
    expect(complaint.status).toBe(200);
    expect(complaint.refused).toEqual([]);
    expect(await page.isVisible('#complaint')).toBe(true);
    const status = await open(page, '/en/status');
    expect(status.status).toBe(200);
    expect(await page.isVisible('form')).toBe(true);
    await context.close();
  });

  it('the console at /console (redirected to /console/) at desk size in English: it loads its config.json and sends staff to Cognito’s sign-in page, nothing refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    // Cognito is not reachable from here: record where the console sends the browser, and stop there.
    const signIn = `https://${CONSOLE_CONFIG.userPoolDomain}/oauth2/authorize`;
    let authorize: URL | undefined;
    await page.route(`${signIn}**`, async (route) => {
      authorize = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Cognito</title>' });
    });
    const configRequest = page.waitForRequest((r) => r.url().endsWith('/console/config.json'));
    const { status, refused } = await open(page, '/console');
    expect(status).toBe(200);
    expect(page.url()).toBe(`${base}/console/`);
    await configRequest;
    const button = page.getByRole('button', { name: 'Sign in with your organisation account' });
    await button.waitFor();
    expect(refused).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'infra-cloudfront-console-en-desk.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${signIn}**`), button.click()]);
    expect(authorize?.searchParams.get('response_type')).toBe('code');
    expect(authorize?.searchParams.get('client_id')).toBe(CONSOLE_CONFIG.clientId);
    expect(authorize?.searchParams.get('redirect_uri')).toBe(`${base}/console/`);
    expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize?.searchParams.get('scope')).toBe('openid email profile');
    await context.close();
  });
});
