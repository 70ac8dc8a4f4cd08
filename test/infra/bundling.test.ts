import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptions, filesLoadedAtStart } from '../../infra/bundling.ts';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { lambdaEntries } from '../../infra/lambda-entries.ts';
import { resourcesOf, synthPlatform } from './synth.ts';

/** The `./x.mjs` files a bundle file imports statically (`from"./x.mjs"`, `import"./x.mjs"`) or through `import()`. */
function importsOf(code: string): { staticImports: string[]; dynamicImports: string[] } {
  const staticImports = [...code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.mjs)["']/g)].map(
    (m) => m[1]!,
  );
  const dynamicImports = [...code.matchAll(/\bimport\(\s*["']\.\/([^"']+\.mjs)["']\s*\)/g)].map((m) => m[1]!);
  return { staticImports, dynamicImports };
}

/** The files Node reads when it imports `index.mjs`: the entry and, transitively, its static imports. */
function loadedAtStart(dir: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of importsOf(readFileSync(join(dir, file), 'utf8')).staticImports) visit(next);
  };
  visit('index.mjs');
  return seen;
}

function runModule(script: string): unknown {
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  );
}

describe('Lambda bundling (real esbuild, offline)', () => {
  const s = synthPlatform('dev', { bundle: true });
  const functions = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')).filter((f) =>
    String(f.Properties?.FunctionName ?? '').startsWith('cfm-dev-'),
  );
  const assetDirs = new Map<string, string>();
  for (const fn of functions) {
    const assetPath = (fn.Metadata as Record<string, string>)['aws:asset:path'];
    assetDirs.set(String(fn.Properties?.FunctionName), join(s.app.outdir, assetPath ?? 'missing'));
  }

  it('bundles every function into ESM files with the createRequire banner and a source map each', () => {
    expect(functions).toHaveLength(20);
    for (const [name, dir] of assetDirs) {
      const files = existsSync(dir) ? readdirSync(dir).sort() : [];
      expect({ name, hasEntry: files.includes('index.mjs') }).toEqual({ name, hasEntry: true });
      const code = files.filter((f) => f.endsWith('.mjs'));
      expect({ name, other: files.filter((f) => !f.endsWith('.mjs') && !f.endsWith('.mjs.map')) }).toEqual({
        name,
        other: [],
      });
      expect({ name, maps: code.map((f) => files.includes(`${f}.map`)) }).toEqual({
        name,
        maps: code.map(() => true),
      });
      for (const file of code) {
        const text = readFileSync(join(dir, file), 'utf8');
        // Every chunk may hold CommonJS code that calls require(), which an ES module has only through the banner.
        expect({
          name,
          file,
          banner: text.startsWith('import { createRequire as __cfmCreateRequire }'),
        }).toEqual({
          name,
          file,
          banner: true,
        });
        // No import left for the runtime to resolve from the project's import map.
        expect(text).not.toMatch(/from\s*["']#(shared|functions)\//);
      }
    }
  });

  it.each(['cfm-dev-cases', 'cfm-dev-notifier'])(
    '%s loads the Twilio REST client as a chunk of its own on first use, not at cold start',
    (name) => {
      const dir = assetDirs.get(name)!;
      const twilioChunks = readdirSync(dir).filter((f) => /^Twilio-[A-Z0-9]+\.mjs$/.test(f));
      expect(twilioChunks).toHaveLength(1);
      const twilio = twilioChunks[0]!;
      const atStart = loadedAtStart(dir);
      expect(atStart.has(twilio)).toBe(false);
      const lazily = [...atStart].flatMap(
        (f) => importsOf(readFileSync(join(dir, f), 'utf8')).dynamicImports,
      );
      expect(lazily).toContain(twilio);

      // The chunk runs on its own (its CommonJS code finds require through the banner) and gives the client class.
      const url = pathToFileURL(join(dir, twilio)).href;
      const out = runModule(`
        const mod = await import(${JSON.stringify(url)});
        process.stdout.write(JSON.stringify({ client: typeof mod.default }));`);
      expect(out).toEqual({ client: 'function' });
    },
  );

  it('bundles the AWS SDK into each function instead of leaving it to the runtime', () => {
    for (const [name, dir] of assetDirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect({ name, file, sdkImport: /(?:from|import\()\s*["']@(?:aws-sdk|smithy)\//.test(text) }).toEqual(
          {
            name,
            file,
            sdkImport: false,
          },
        );
      }
    }
  });

  it.each(['cfm-dev-router', 'cfm-dev-cases', 'cfm-dev-twilio-sms'])(
    '%s reads the DynamoDB client at cold start and the SNS client only on its first publish',
    (name) => {
      const dir = assetDirs.get(name)!;
      const atStart = [...loadedAtStart(dir)];
      const holding = (text: string) =>
        readdirSync(dir).filter(
          (f) => f.endsWith('.mjs') && readFileSync(join(dir, f), 'utf8').includes(text),
        );
      // The DynamoDB protocol's target prefix and SNS's service name are in those clients' code and nowhere else.
      expect(atStart.filter((f) => holding('DynamoDB_20120810').includes(f))).not.toEqual([]);
      const sns = holding('AmazonSimpleNotificationService');
      expect(sns).toHaveLength(1);
      expect(atStart).not.toContain(sns[0]);
      const lazily = atStart.flatMap((f) => importsOf(readFileSync(join(dir, f), 'utf8')).dynamicImports);
      expect(lazily).toContain(sns[0]);
    },
  );

  it('counts the files read at start from index.mjs, though every chunk reached by import() is an entry too', () => {
    const out = mkdtempSync(join(tmpdir(), 'cfm-bundle-'));
    try {
      for (const e of lambdaEntries().filter((x) => ['router', 'notifier'].includes(x.name))) {
        const dir = join(out, e.name);
        const { metafile } = buildSync(esbuildOptions(e.entry, dir, PROJECT_ROOT));
        const entryMarked = Object.keys(metafile!.outputs).filter((f) => metafile!.outputs[f]?.entryPoint);
        expect(entryMarked.length).toBeGreaterThan(1);
        const counted = filesLoadedAtStart(metafile!).map((f) => basename(f));
        expect(counted).toContain('index.mjs');
        expect(new Set(counted)).toEqual(loadedAtStart(dir));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the health bundle answers', () => {
    const health = pathToFileURL(join(assetDirs.get('cfm-dev-health')!, 'index.mjs')).href;
    const out = runModule(`
      const { handler } = await import(${JSON.stringify(health)});
      const res = await handler({ routeKey: 'GET /health', headers: {}, requestContext: {} }, {});
      process.stdout.write(JSON.stringify({ status: res.statusCode, body: JSON.parse(res.body) }));`) as {
      status: number;
      body: { status: string };
    };
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('ok');
  });
});
