import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/**
 * How every Lambda is bundled, written once: the CDK app bundles each function with these options at synth time,
 * and the bundle benchmark builds the very same options, so the benchmark measures what is deployed.
 *
 * - ESM with code splitting: the entry is `index.mjs` (handler `index.handler`); code reached only through a dynamic
 *   `import()` (the Twilio REST client, needed for the rare outbound message; the SNS client, for the rare publish;
 *   the SDK's less common credential providers) becomes a chunk of its own that Node reads on first use instead of
 *   parsing it at every cold start. Code that several of those share goes to shared chunks the entry imports. The
 *   CDK's NodejsFunction cannot split, which is why the platform runs esbuild itself.
 * - A `require` made with `createRequire` in every output file, because some dependencies are CommonJS and call
 *   `require('node:…')`, which an ES module has no global for.
 * - Nothing external: the AWS SDK v3 clients are bundled and tree-shaken like any other dependency, rather than
 *   taken from the Lambda runtime, so the version tested is the version that runs.
 * - `module` before `main`, so packages that ship both give esbuild their tree-shakeable ES build.
 * - UTF-8 output: the classifier's Arabic and Kurdish lexicons would triple in size as `\uXXXX` escapes.
 * - Source maps without the sources inside, beside each file: small, and used when a function runs with
 *   `--enable-source-maps` (off by default, see LAMBDA_SOURCE_MAPS in constructs/platform-function.ts).
 * - No legal comments: licence banners are not code and a deployed bundle is not redistributed.
 */
export const BUNDLE = {
  target: 'node22',
  /** The entry's file name; Lambda resolves handler `index.handler` to it. */
  entryName: 'index',
  outExtension: '.mjs',
  banner:
    "import { createRequire as __cfmCreateRequire } from 'node:module'; const require = __cfmCreateRequire(import.meta.url);",
} as const;

/** The handler setting of every function: `handler` exported by `index.mjs`. */
export const LAMBDA_HANDLER = `${BUNDLE.entryName}.handler`;

/**
 * esbuild options that bundle one handler module into `outdir`: `index.mjs`, its chunks and their source maps.
 * `entry` is relative to `projectRoot`, where esbuild runs so the package's `#shared/*` import map resolves.
 */
export function esbuildOptions(entry: string, outdir: string, projectRoot: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: { [BUNDLE.entryName]: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: BUNDLE.target,
    outExtension: { '.js': BUNDLE.outExtension },
    chunkNames: '[name]-[hash]',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: BUNDLE.banner },
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * The output files of a one-entry bundle that Node reads when it imports the entry: `index.mjs` and, transitively,
 * the chunks it imports statically. Chunks reached only through `import()` are left out. The entry is found by its
 * file name: esbuild marks every module reached through `import()` as an entry point of its own as well. Paths are
 * as esbuild's metafile gives them (relative to the working directory).
 */
export function filesLoadedAtStart(metafile: Metafile): string[] {
  const entryFile = `${BUNDLE.entryName}${BUNDLE.outExtension}`;
  const entry = Object.keys(metafile.outputs).find(
    (file) => (file === entryFile || file.endsWith(`/${entryFile}`)) && metafile.outputs[file]?.entryPoint,
  );
  if (!entry) throw new Error(`the bundle has no ${entryFile}`);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of metafile.outputs[file]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
    }
  };
  visit(entry);
  return [...seen];
}

/**
 * Bundles a handler with esbuild inside the CDK's asset staging (the "local" bundler of a bundled asset). Running
 * inside the staging keeps what the CDK does for any bundled asset: the output is hashed into `cdk.out`, identical
 * functions share one asset, and synths that skip bundling (`aws:cdk:bundling-stacks`, as the template tests and
 * `cdk deploy SomeOtherStack` do) never run it. Its fields are part of the CDK's asset cache key, so each entry
 * gets its own bundle.
 */
export class EsbuildLambdaBundler implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly projectRoot: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    const result = buildSync(esbuildOptions(this.entry, outputDir, this.projectRoot));
    if (result.errors.length) throw new Error(`esbuild failed for ${this.entry}: ${result.errors[0]?.text}`);
    return true;
  }
}

/**
 * The code asset of a function: `entry` (relative to `projectRoot`) bundled by {@link EsbuildLambdaBundler}. The
 * asset is hashed by its output, so a change anywhere in the sources redeploys exactly the functions it reaches.
 */
export function lambdaCode(entry: string, projectRoot: string): Code {
  return Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new EsbuildLambdaBundler(entry, projectRoot),
      // Never used: the local bundler always succeeds or throws. The CDK requires an image for the fallback.
      image: DockerImage.fromRegistry('esbuild-runs-locally'),
    },
  });
}
