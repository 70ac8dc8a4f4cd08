import {
  Charset,
  LogLevel,
  type BundlingOptions as NodejsBundlingOptions,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every Lambda is bundled, written once: the CDK construct turns it into esbuild command-line flags and the
 * bundle benchmark passes the same settings to esbuild's API, so the benchmark measures what is deployed.
 *
 * - ESM output (`index.mjs`), because the sources are ES modules and top-level await stays available.
 * - A `require` made with `createRequire`, because some dependencies are CommonJS and call `require('node:…')`,
 *   which an ES module has no global for.
 * - Nothing external: the handlers use the project's own small AWS clients, not the SDK in the runtime.
 * - `module` before `main`, so packages that ship both give esbuild their tree-shakeable ES build.
 * - UTF-8 output: the classifier's Arabic and Kurdish lexicons would triple in size as `\uXXXX` escapes.
 * - Source maps without the sources inside: stack traces map back to the `.ts` lines, and the map stays small.
 */
export const BUNDLE = {
  target: 'node22',
  format: 'esm',
  outExtension: '.mjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  charset: 'utf8',
  externals: [] as string[],
  banner:
    "import { createRequire as __cfmCreateRequire } from 'node:module'; const require = __cfmCreateRequire(import.meta.url);",
} as const;

/** The `bundling` property of every `NodejsFunction` in the app. */
export function lambdaBundling(): NodejsBundlingOptions {
  return {
    target: BUNDLE.target,
    format: OutputFormat.ESM,
    minify: BUNDLE.minify,
    sourceMap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    charset: Charset.UTF8,
    externalModules: [...BUNDLE.externals],
    banner: BUNDLE.banner,
    logLevel: LogLevel.WARNING,
  };
}

/**
 * The same bundle through esbuild's JavaScript API (the CDK runs the esbuild CLI with the equivalent flags).
 * `entry` is relative to the project root, as the CDK passes it.
 */
export function esbuildOptions(entry: string, outfile: string, projectRoot: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: BUNDLE.target,
    format: BUNDLE.format,
    outfile,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    charset: BUNDLE.charset,
    external: [...BUNDLE.externals],
    banner: { js: BUNDLE.banner },
    logLevel: 'warning',
  };
}
