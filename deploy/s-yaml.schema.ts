/**
 * What this project requires of a rendered `s.yaml` (the output of `s preview -o json`): the
 * fc3 props FC needs for this server, with the values that are easy to get wrong checked here
 * rather than discovered at deploy time (fc3's defaults of a 3 s timeout and one request per
 * instance, numbers rendered as strings, the health check path, the bootstrap, the layer). The FC
 * application (deploy/fc-app) renders the same function with kubectl in its code package.
 */
import { z } from 'zod';
import { parseOAuthSettings } from '../src/auth/oauth-settings.ts';

const arn = (kind: string, pattern: RegExp) => z.string().regex(pattern, `must be ${kind}`);
const layerArn = arn('an FC layer ARN', /^acs:fc:[a-z0-9-]+:(\d+|official):layers\/[A-Za-z0-9_-]+\/versions\/\d+$/);

const HealthCheck = z.strictObject({
  httpGetUrl: z.literal('/healthz'),
  initialDelaySeconds: z.number().int().min(0).max(120),
  periodSeconds: z.number().int().min(1).max(120),
  timeoutSeconds: z.number().int().min(1).max(3),
  failureThreshold: z.number().int().min(1).max(120),
  successThreshold: z.number().int().min(1).max(120),
});

/** Where kubectl comes from: the kubectl layer under /opt (s.yaml), or inside the code package (the FC application). */
type KubectlSource = { path: '/opt/bin/kubectl'; layer: true } | { path: '/code/bin/kubectl'; layer: false };

const environment = (kubectlPath: KubectlSource['path']) =>
  z
    .object({
      ACCESS_MODE: z.enum(['read-only', 'read-write']),
      CREDENTIAL_SOURCES: z.string().regex(/^(caller|function|default)(,(caller|function|default))*$/),
      MCP_AUTH_TOKEN: z
        .string()
        .min(
          16,
          "MCP_AUTH_TOKEN must come from the deployer (ACK_MCP_AUTH_TOKEN, or the application's token) and be at least 16 characters",
        )
        .refine((token) => !/\$\{|\{\{/.test(token), 'MCP_AUTH_TOKEN is an unrendered template expression, not a token')
        .optional(),
      MCP_AUTH_TOKENS: z.string().optional(),
      MCP_AUTH_BY_GATEWAY: z.enum(['true', 'false']).optional(),
      KUBECTL_PATH: z.literal(kubectlPath),
      KUBECONFIG_PRIVATE_IP: z.enum(['true', 'false']).optional(),
    })
    .catchall(z.string())
    .refine(
      (env) => env.MCP_AUTH_TOKEN || env.MCP_AUTH_TOKENS || env.MCP_AUTH_BY_GATEWAY === 'true' || env.CREDENTIAL_SOURCES === 'caller',
      {
        message: 'an anonymous trigger needs MCP_AUTH_TOKEN(S), a gateway (MCP_AUTH_BY_GATEWAY=true) or CREDENTIAL_SOURCES=caller',
      },
    )
    .superRefine((env, ctx) => {
      // The server refuses these at start with the same message; caught here before a deploy.
      try {
        parseOAuthSettings(env);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
      if (env.AUTH_MODE === 'oauth' && (env.MCP_AUTH_TOKEN || env.MCP_AUTH_TOKENS)) {
        ctx.addIssue({
          code: 'custom',
          message: 'AUTH_MODE=oauth accepts no static tokens: deploy AUTH_MODE=both with a token, or a template without MCP_AUTH_TOKEN',
        });
      }
    });

const HttpTrigger = z.strictObject({
  triggerName: z.string().min(1),
  triggerType: z.literal('http'),
  description: z.string().optional(),
  qualifier: z.string().optional(),
  triggerConfig: z.strictObject({
    authType: z.enum(['anonymous', 'jwt']),
    authConfig: z.string().optional(),
    methods: z
      .array(z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS']))
      .refine((m) => m.includes('POST'), 'methods must include POST'),
    disableURLInternet: z.boolean().optional(),
  }),
});

const VpcConfig = z.strictObject({
  vpcId: z.string().regex(/^vpc-[0-9a-z]+$/),
  vSwitchIds: z.array(z.string().regex(/^vsw-[0-9a-z]+$/)).min(1),
  securityGroupId: z.string().regex(/^sg-[0-9a-z]+$/),
});

const functionProps = (kubectl: KubectlSource) =>
  z
    .strictObject({
      region: z.string().regex(/^[a-z]{2}-[a-z0-9-]+$/),
      functionName: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'functionName: letters, digits, _ and -, at most 64, not starting with a digit or -'),
      description: z.string().max(256).optional(),
      runtime: z.literal('custom.debian10'),
      code: z.string().min(1),
      customRuntimeConfig: z.strictObject({
        command: z.tuple([z.literal('/code/bootstrap')]),
        args: z.array(z.string()).optional(),
        port: z.literal(9000),
        healthCheckConfig: HealthCheck,
      }),
      // An account's own layer (the kubectl layer) or an official one, e.g. acs:fc:<region>:official:layers/Nodejs20/versions/3.
      layers: kubectl.layer ? z.array(layerArn).min(1).max(5) : z.array(layerArn).max(5).optional(),
      timeout: z.number().int().min(60).max(86_400),
      instanceConcurrency: z.number().int().min(2).max(200),
      memorySize: z
        .number()
        .int()
        .min(256)
        .max(32_768)
        .refine((m) => m % 64 === 0, 'memorySize must be a multiple of 64 MB'),
      cpu: z
        .number()
        .min(0.05)
        .max(16)
        .refine((c) => Math.abs(c * 20 - Math.round(c * 20)) < 1e-9, 'cpu must be a multiple of 0.05'),
      diskSize: z.union([z.literal(512), z.literal(10_240)]),
      role: arn('a RAM role ARN', /^acs:ram::\d+:role\/[A-Za-z0-9._-]+$/),
      logConfig: z.literal('auto'),
      internetAccess: z.boolean(),
      environmentVariables: environment(kubectl.path),
      triggers: z.array(HttpTrigger).length(1),
      vpcConfig: VpcConfig.optional(),
    })
    .refine(
      (p) => p.memorySize / 1024 >= p.cpu / 4 && p.memorySize / 1024 <= p.cpu * 4,
      'cpu : memory (GB) must be between 1:4 and 4:1 (FC rule)',
    )
    .refine(
      (p) => p.triggers[0]!.triggerConfig.authType !== 'jwt' || p.environmentVariables.MCP_AUTH_BY_GATEWAY === 'true',
      'a jwt trigger authenticates callers: set MCP_AUTH_BY_GATEWAY=true',
    );

/** The function of `s.yaml` and `s.vpc.yaml`: kubectl from the kubectl layer. */
export const FunctionProps = functionProps({ path: '/opt/bin/kubectl', layer: true });
/** The function of the FC application (deploy/fc-app): kubectl inside its code package, no layer to publish first. */
export const FcAppFunctionProps = functionProps({ path: '/code/bin/kubectl', layer: false });

/** A rendered template: one fc3 resource with `props`, no unresolved `${...}` left anywhere. */
const renderedTemplate = (props: typeof FunctionProps) =>
  z
    .object({
      edition: z.literal('3.0.0'),
      name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/),
      access: z.string().optional(),
      vars: z.record(z.string(), z.unknown()).optional(),
      resources: z
        .record(z.string(), z.strictObject({ component: z.literal('fc3'), props }))
        .refine((r) => Object.keys(r).length === 1, 'exactly one resource'),
    })
    .superRefine((template, ctx) => {
      const text = JSON.stringify(template);
      const unresolved = text.match(/\$\{[^}]*\}/);
      if (unresolved) ctx.addIssue({ code: 'custom', message: `unresolved expression ${unresolved[0]}` });
    });

export const RenderedTemplate = renderedTemplate(FunctionProps);
export const RenderedFcAppTemplate = renderedTemplate(FcAppFunctionProps);

export type RenderedTemplate = z.infer<typeof RenderedTemplate>;
