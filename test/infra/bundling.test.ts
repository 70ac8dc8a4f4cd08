import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resourcesOf, synthPlatform } from './synth.ts';

describe('Lambda bundling (real esbuild, offline)', () => {
  it('bundles every function into an ESM index.mjs with a source map, and the health bundle answers', () => {
    const s = synthPlatform('dev', { bundle: true });
    const outdir = s.app.outdir;
    const functions = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')).filter((f) =>
      String(f.Properties?.FunctionName ?? '').startsWith('cfm-dev-'),
    );
    expect(functions).toHaveLength(15);
    const assetDirs = new Map<string, string>();
    for (const fn of functions) {
      const name = String(fn.Properties?.FunctionName);
      const assetPath = (fn.Metadata as Record<string, string>)['aws:asset:path'];
      const dir = join(outdir, assetPath ?? 'missing');
      assetDirs.set(name, dir);
      expect({ name, files: existsSync(dir) ? readdirSync(dir).sort() : [] }).toEqual({
        name,
        files: ['index.mjs', 'index.mjs.map'],
      });
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // The createRequire banner, and no import left for the runtime to resolve from the project's import map.
      expect(code.startsWith('import { createRequire as __cfmCreateRequire }')).toBe(true);
      expect(code).not.toMatch(/from\s*["']#(shared|functions)\//);
    }

    const health = pathToFileURL(join(assetDirs.get('cfm-dev-health')!, 'index.mjs')).href;
    const script = `
      const { handler } = await import(${JSON.stringify(health)});
      const res = await handler({ routeKey: 'GET /health', headers: {}, requestContext: {} }, {});
      process.stdout.write(JSON.stringify({ status: res.statusCode, body: JSON.parse(res.body) }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    );
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('ok');
  });
});
