import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { PROJECT_ROOT } from './platform-function.ts';

/** What the console needs to find the API and sign in; written to `/config.json` next to the built web app. */
export interface ConsoleRuntimeConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  stage: string;
}

export interface WebHostingProps {
  config: StageConfig;
  /** The web app's build output; deployed only if it exists at synth time (web/ is built separately). */
  distDir?: string;
  /**
   * The public site: the pages rendered at synth with the stage's public numbers, and web/public's files
   * (web/scripts/build-public.ts). Deployed at `/` when given.
   */
  publicDir?: string;
}

/** Viewer-request function: `/complaint` and `/complaint/` are served from `/complaint/index.html`. */
const DIRECTORY_INDEX_FUNCTION = `
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
  } else if (uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = uri + '/index.html';
  }
  return request;
}`;

/**
 * The console and the public web form: a private bucket read by CloudFront through Origin Access Control, security
 * headers on every response, and access logs for both the distribution and the bucket in a log bucket of their own.
 * Price class 200 because it is the cheapest class that includes the Middle East edge locations nearest Iraq.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`: the console origin the API allows. */
  readonly origin: string;
  /** Whether `web/dist` existed at synth time and is deployed. */
  readonly deploysContent: boolean;
  /** Whether the public pages are deployed. */
  readonly deploysPublicPages: boolean;
  private readonly distDir: string;
  private readonly publicDir: string | undefined;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const { config } = props;
    this.distDir = props.distDir ?? join(PROJECT_ROOT, 'web', 'dist');
    this.deploysContent = existsSync(join(this.distDir, 'index.html'));
    this.publicDir = props.publicDir;
    this.deploysPublicPages =
      props.publicDir !== undefined && existsSync(join(props.publicDir, 'index.html'));
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

    const apiOrigins = [
      `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      ...(config.publicBaseUrl ? [new URL(config.publicBaseUrl).origin] : []),
    ].join(' ');
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${apiOrigins} https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      `form-action 'self' ${apiOrigins}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `CFM ${config.stage} security headers`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
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
      code: FunctionCode.fromInline(DIRECTORY_INDEX_FUNCTION),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serve folder paths from their index.html',
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: `CFM ${config.stage} console and web form`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: complainants and partners also reach the form and console from outside Iraq (diaspora, regional offices).',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF on the static site (it serves only public assets; the API is throttled at API Gateway). Add a web ACL when a custom domain is set up.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with TLSv1.2_2021 is a documented follow-up (docs/deploy.md).',
      },
    ]);
  }

  /**
   * Uploads the public site at `/`, and `web/dist` plus `config.json` under `console/` (the console is built for
   * `/console/` and reads `./config.json`) if it was built before synth, and invalidates the cache. Called after
   * the API exists, since `config.json` names it.
   */
  deploy(runtime: ConsoleRuntimeConfig): BucketDeployment[] {
    const deployments: BucketDeployment[] = [];
    if (this.deploysPublicPages && this.publicDir) {
      deployments.push(
        new BucketDeployment(this, 'PublicPages', {
          destinationBucket: this.bucket,
          sources: [Source.asset(this.publicDir)],
          distribution: this.distribution,
          distributionPaths: ['/*'],
          prune: true,
          // The console has its own deployment under console/; pruning the root must leave it alone.
          exclude: ['console/*'],
          memoryLimit: 512,
        }),
      );
    }
    if (this.deploysContent) {
      deployments.push(
        new BucketDeployment(this, 'Content', {
          destinationBucket: this.bucket,
          destinationKeyPrefix: 'console/',
          sources: [Source.asset(this.distDir), Source.jsonData('config.json', runtime)],
          distribution: this.distribution,
          distributionPaths: ['/console/*'],
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
