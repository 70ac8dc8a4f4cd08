import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
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
    expect(functions).toHaveLength(18);
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
