import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  SSLMethod,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { PROJECT_ROOT } from './platform-function.ts';

/**
 * What the console needs to sign in; written to `/console/config.json` next to the built console. `apiUrl` is
 * empty: the console calls the API on its own origin, through CloudFront.
 */
export interface ConsoleRuntimeConfig {
  apiUrl: '';
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** The same client id under the name the console reads (`web/src/auth.ts`). */
  clientId: string;
  /** Cognito's hosted sign-in host (`<prefix>.auth.<region>.amazoncognito.com`), without the scheme. */
  userPoolDomain: string;
  /** Where Cognito sends staff back to: the console's URL, as registered on the client. */
  redirectUri: string;
  stage: string;
}

export interface WebHostingProps {
  config: StageConfig;
  /** The HTTP API's execute-api host: CloudFront sends `/api/*` there, so pages and API share one origin. */
  apiDomainName: string;
  /** Cognito's hosted sign-in host, which the console calls for its tokens. */
  signInHost: string;
  /** The console's build output (`web/dist`); deployed under `/console/` only if it exists at synth time. */
  distDir?: string;
  /**
   * The public site: the pages rendered at synth with the stage's public numbers, and web/public's files
   * (web/scripts/build-public.ts). Deployed at `/` when given.
   */
  publicDir?: string;
}

/** The path CloudFront serves the console under, as the local stack does. */
export const CONSOLE_PATH = '/console/';

/**
 * The public pages that are files (`/complaint.html`) but are linked without their extension (`/complaint`), as
 * the local stack serves them: every `.html` file of the folder except the `index.html` files.
 */
function extensionlessPages(dir: string | undefined): string[] {
  if (!dir || !existsSync(dir)) return [];
  const pages: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html') && name !== 'index.html') {
        pages.push(`/${relative(dir, path).split(sep).join('/').slice(0, -'.html'.length)}`);
      }
    }
  };
  walk(dir);
  return pages;
}

/**
 * Viewer-request function (CloudFront Functions, JS 2.0): folder paths are served from their `index.html`
 * (`/ar/`), a folder path without its slash is redirected to it (`/console` → `/console/`, so the console's
 * relative `./config.json` resolves inside the folder), and pages linked without their extension are served from
 * their `.html` file (`/complaint`).
 */
export function directoryIndexFunctionCode(pages: string[]): string {
  const table = JSON.stringify(Object.fromEntries(pages.map((p) => [p, true])));
  return `var PAGES = ${table};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (PAGES[uri]) {
    request.uri = uri + '.html';
  } else if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
  } else if (uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: uri + '/' } } };
  }
  return request;
}`;
}

/**
 * The Content-Security-Policy of every page. Scripts and connections only to the page's own origin (the API is
 * reached through CloudFront on that origin, so no execute-api host, let alone a wildcard, is named) and Cognito
 * for the console's sign-in (the user pool's API and its hosted sign-in host, for the token); inline styles are
 * allowed because the public pages carry their CSS inline to stay one request on a slow connection.
 */
export function contentSecurityPolicy(region: string, urlSuffix: string, signInHost: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' https://cognito-idp.${region}.${urlSuffix} https://${signInHost}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * The console and the public web form, and the way to the API for both: a private bucket read by CloudFront
 * through Origin Access Control, `/api/*` forwarded uncached to the HTTP API, security headers on every response,
 * and access logs for both the distribution and the bucket in a log bucket of their own. Price class 200 because
 * it is the cheapest class that includes the Middle East edge locations nearest Iraq.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<custom domain or distribution domain>`: where people open the form and staff the console. */
  readonly origin: string;
  /** Whether the console (`web/dist`) existed at synth time and is deployed. */
  readonly deploysConsole: boolean;
  /** Whether the public site was rendered at synth time and is deployed. */
  readonly deploysPublicPages: boolean;
  private readonly distDir: string;
  private readonly publicDir: string | undefined;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const { config } = props;
    this.distDir = props.distDir ?? join(PROJECT_ROOT, 'web', 'dist');
    this.publicDir = props.publicDir;
    this.deploysConsole = existsSync(join(this.distDir, 'index.html'));
    this.deploysPublicPages = this.publicDir !== undefined && existsSync(join(this.publicDir, 'index.html'));
    const disposable = !config.retainData;

    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL, so this bucket (and only this one) keeps ACLs enabled.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(config.retainData ? 365 : 30) }],
      removalPolicy: config.removalPolicy,
      autoDeleteObjects: disposable,
    });
    NagSuppressions.addResourceSuppressions(this.logBucket, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket; logging it into itself would loop.' },
    ]);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: disposable,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `CFM ${config.stage} security headers`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(Aws.REGION, Aws.URL_SUFFIX, props.signInHost),
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), geolocation=(), microphone=(), payment=()',
            override: true,
          },
        ],
      },
    });

    const directoryIndex = new EdgeFunction(this, 'DirectoryIndex', {
      code: FunctionCode.fromInline(directoryIndexFunctionCode(extensionlessPages(this.publicDir))),
      runtime: FunctionRuntime.JS_2_0,
      comment:
        'Folder paths from their index.html (adding the slash), extensionless pages from their .html file',
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: `CFM ${config.stage} console, web form and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Same origin for pages and API: the no-JavaScript form posts to /api/public/complaints on this host, the
        // console needs no CORS, and the CSP needs no API host. Nothing is cached; everything but the Host
        // header reaches API Gateway (which answers only to its own host name).
        '/api/*': {
          origin: new HttpOrigin(props.apiDomainName, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
          compress: true,
        },
      },
      ...(config.webDomain
        ? {
            domainNames: [config.webDomain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', config.webDomain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: SSLMethod.SNI,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.origin = `https://${config.webDomain?.domainName ?? this.distribution.distributionDomainName}`;

    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: complainants and partners also reach the form and console from outside Iraq (diaspora, regional offices).',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF (a web ACL costs $5 a month plus $1 a rule before any request): the API has per-route throttles at API Gateway, and the public form a throttle of its own (docs/deploy.md, "What happens under a flood").',
      },
      ...(config.webDomain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'No custom domain given: the default *.cloudfront.net certificate is used, whose security policy CloudFront fixes at TLSv1 (TLS 1.0 and later). With --context webDomainName and webCertificateArn the distribution requires TLSv1.2_2021 (docs/deploy.md).',
            },
          ]),
    ]);
  }

  /**
   * Uploads the public pages at `/` and the console plus its `config.json` under `/console/`, each only if it was
   * built before synth, and invalidates the cache. Called after the user pool is known, since `config.json`
   * names it.
   */
  deploy(runtime: Omit<ConsoleRuntimeConfig, 'apiUrl' | 'clientId'>): BucketDeployment[] {
    const deployments: BucketDeployment[] = [];
    if (this.deploysPublicPages && this.publicDir) {
      deployments.push(
        new BucketDeployment(this, 'PublicPages', {
          destinationBucket: this.bucket,
          sources: [Source.asset(this.publicDir)],
          distribution: this.distribution,
          distributionPaths: ['/*'],
          prune: true,
          // The console lives under the same bucket; pruning the root must leave it alone.
          exclude: [`${CONSOLE_PATH.slice(1)}*`],
          memoryLimit: 512,
        }),
      );
    }
    if (this.deploysConsole) {
      const config: ConsoleRuntimeConfig = { ...runtime, apiUrl: '', clientId: runtime.userPoolClientId };
      deployments.push(
        new BucketDeployment(this, 'Console', {
          destinationBucket: this.bucket,
          destinationKeyPrefix: CONSOLE_PATH.slice(1),
          sources: [Source.asset(this.distDir), Source.jsonData('config.json', config)],
          distribution: this.distribution,
          distributionPaths: [`${CONSOLE_PATH}*`],
          prune: true,
          memoryLimit: 512,
        }),
      );
    }
    if (deployments.length) suppressBucketDeploymentFindings(Stack.of(this));
    return deployments;
  }
}

/** The BucketDeployment handler is a CDK-owned singleton Lambda whose role and runtime we do not choose. */
function suppressBucketDeploymentFindings(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    NagSuppressions.addResourceSuppressions(
      child,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'CDK BucketDeployment singleton: its role uses AWSLambdaBasicExecutionRole, set by CDK.',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK BucketDeployment singleton: reads the staged asset from the CDK assets bucket and syncs it into the site bucket (object-level wildcards under those two buckets only).',
          appliesTo: [
            { regex: '/^Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\\*$/g' },
            {
              regex:
                '/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\\/\\*$/g',
            },
            { regex: '/^Resource::<WebSite[0-9A-F]+\\.Arn>\\/\\*$/g' },
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK BucketDeployment singleton: cloudfront:CreateInvalidation/GetInvalidation are granted on "*" by CDK to invalidate the distribution after a deploy.',
          appliesTo: ['Resource::*'],
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            'CDK BucketDeployment singleton: its runtime is chosen by the CDK release, not by this app.',
        },
      ],
      true,
    );
  }
}
