/**
 * Dependency rules checked in `npm test` (npm run deps:check):
 * - shared/ is the domain: it imports nothing from functions/, infra/, web/, local/ or the Lambda types;
 * - functions/ (what runs in Lambda) never imports the local stack, the CDK app or the web app;
 * - infra/ may read functions/routes.ts and shared/ definitions, but not handler code paths directly;
 * - the staff console (web/src) loads neither zod nor the zod schemas of shared/config at run time;
 * - no circular imports.
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment:
        'shared/ must not depend on handlers, infrastructure, the web app, the local stack or Lambda types',
      from: { path: '^shared/' },
      to: {
        path: [
          '^functions/',
          '^infra/',
          '^web/',
          '^local/',
          'node_modules/@types/aws-lambda',
          '^aws-lambda$',
        ],
      },
    },
    {
      name: 'shared-no-aws-lambda-types',
      severity: 'error',
      from: { path: '^shared/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'unknown', 'type-only'],
        path: 'aws-lambda',
      },
    },
    {
      name: 'functions-not-local-or-infra',
      severity: 'error',
      comment: 'Lambda code must not pull in the local stack, the CDK app or the web app',
      from: { path: '^functions/' },
      to: { path: ['^local/', '^infra/', '^web/'] },
    },
    {
      name: 'console-without-zod',
      severity: 'error',
      comment:
        'The console bundle takes closed lists from zod-free shared modules (shared/config/partner-fields.ts); type-only imports are erased and do not count',
      from: { path: '^web/src/' },
      to: { path: ['node_modules/zod/', '^shared/config/schemas[.]ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: ['web/dist', 'cdk.out'] },
  },
};
