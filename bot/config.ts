import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { parseGroupGrants } from './officers.ts';

/** Every setting the application reads, with its default. The only reader of the environment. */
export const ConfigSchema = z.object({
  // Unset: development, with officers' surfaces open only on a loopback-only server without
  // channel credentials (see accessModeOf).
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  // Unset: every interface in production, loopback only otherwise (a laptop's `npm start`).
  HOST: z.string().min(1).optional(),
  // Unset: the HTTP server's own default, 75 s (see bot/server.ts).
  HTTP_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TZ: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'TZ must be an IANA time zone such as Asia/Ho_Chi_Minh'),
  KNOWLEDGE_DIR: z.string().min(1).optional(),
  // How often each instance looks for a newly published knowledge version (or a rollback).
  CONTENT_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// connection string')
    .optional(),
  DRAFT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  UNANSWERED_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  USER_HASH_SALT: z.string().min(8).default('tro-ly-khuyen-cong'),
  ZALO_APP_ID: z.string().min(1).optional(),
  ZALO_APP_SECRET: z.string().min(1).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(1).optional(),
  ZALO_OA_ACCESS_TOKEN: z.string().min(1).optional(),
  ZALO_OA_REFRESH_TOKEN: z.string().min(1).optional(),
  ZALO_API_BASE_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: z.url().default('https://oauth.zaloapp.com'),
  ZALO_SITE_VERIFICATION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'ZALO_SITE_VERIFICATION is the code Zalo gives, letters and digits')
    .optional(),
  ZALO_HUMAN_PAUSE_MINUTES: z.coerce.number().int().min(0).max(1440).default(30),
  ZALO_CONTACT_IMAGE_URL: z.url().optional(),
  // The OA's ZBS account is funded for consultation messages from 48 h to 7 days after a user's last interaction.
  ZALO_PAID_CONSULTATION: z.stringbool().default(false),
  // Calls to Zalo's message API in any minute: the OA package's limit (100 reported for Growth).
  ZALO_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(100),
  MicrosoftAppId: z.string().min(1).optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant'),
  MicrosoftAppTenantId: z.string().min(1).optional(),
  TEAMS_ALLOWED_TENANTS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
    ),
  PUBLIC_BASE_URL: z.url().optional(),
  USER_MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(30),
  WEBCHAT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(120),
  // The bearer token /metrics asks for; in production /metrics is off without one.
  METRICS_TOKEN: z.string().min(16, { error: 'METRICS_TOKEN must be at least 16 characters' }).optional(),
  // The reverse proxies whose X-Forwarded-For is believed (addresses, subnets, or loopback /
  // linklocal / uniquelocal); without it every request counts from the socket's address.
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean)
        : [],
    )
    .superRefine((list, ctx) => {
      try {
        proxyaddr.compile(list);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `TRUST_PROXY lists addresses, subnets or loopback, linklocal, uniquelocal: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }),
  // The hour (Vietnam time, 0–23) of the daily digest, for conversations that chose it.
  TEAMS_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  TAB_JWKS_URL: z.url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  // Entra ID group object ids (or app role values) → officers' roles and provinces; see bot/officers.ts.
  OFFICER_GROUPS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseGroupGrants(v ?? '');
      if (parsed.ok) return parsed.value;
      for (const reason of parsed.reasons) ctx.addIssue({ code: 'custom', message: `OFFICER_GROUPS: ${reason}` });
      return z.NEVER;
    }),
  // A JSON file of officers by Entra object id, for deployments without groups; see bot/officers.ts.
  OFFICERS_FILE: z.string().min(1).optional(),
  // How long a tab sign-in's roles are believed for the same officer's Teams messages (0: never).
  OFFICER_SIGN_IN_MEMORY_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 90)
    .default(24),
  WEBCHAT_ENABLED: z.stringbool().optional(),
});

/** Whether a channel is on, and which variables it misses when it is not. */
export interface ChannelStatus {
  enabled: boolean;
  missing: string[];
}

/**
 * Whether officers' surfaces (the tab's registrations API without a Teams token, /metrics without
 * a token, Teams without credentials) are open without sign-in, and why, in one line for the log.
 */
export interface AccessMode {
  mode: 'production' | 'development';
  officersOpen: boolean;
  why: string;
}

/** The validated configuration. */
export type Config = Omit<z.output<typeof ConfigSchema>, 'NODE_ENV' | 'HOST'> & {
  NODE_ENV: 'development' | 'production' | 'test';
  HOST: string;
  access: AccessMode;
  webchatEnabled: boolean;
  zalo: ChannelStatus;
  teams: ChannelStatus & { localMode: boolean };
};

/** Whether `host` listens on the loopback interface only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Officers' data is served without sign-in only to a development server that nobody else can
 * reach and that speaks to no real channel: listening on loopback, with no Zalo or Microsoft
 * credentials, no reverse proxy and no public address. A forgotten NODE_ENV on a deployed server therefore fails closed.
 */
function accessModeOf(config: z.output<typeof ConfigSchema>, host: string): AccessMode {
  if (config.NODE_ENV === 'production')
    return { mode: 'production', officersOpen: false, why: 'NODE_ENV=production: officers sign in through Teams' };
  const env = config.NODE_ENV ? `NODE_ENV=${config.NODE_ENV}` : 'NODE_ENV unset';
  const closed: string[] = [];
  if (!isLoopbackHost(host)) closed.push(`HOST=${host} can be reached from the network`);
  const credentials = [
    ...(config.ZALO_APP_ID || config.ZALO_APP_SECRET || config.ZALO_OA_SECRET_KEY ? ['Zalo'] : []),
    ...(config.MicrosoftAppId ? ['Microsoft'] : []),
  ];
  if (credentials.length > 0) closed.push(`${credentials.join(' and ')} credentials are set`);
  // A reverse proxy in front, or a public address, means others reach it through loopback.
  if (config.TRUST_PROXY.length > 0) closed.push('TRUST_PROXY names a reverse proxy in front of it');
  if (config.PUBLIC_BASE_URL) closed.push('PUBLIC_BASE_URL gives it a public address');
  if (closed.length > 0)
    return {
      mode: 'development',
      officersOpen: false,
      why: `${env}, but officers' data needs sign-in because ${closed.join(' and ')}; set NODE_ENV=production on a deployed server`,
    };
  return {
    mode: 'development',
    officersOpen: true,
    why: `${env}, listening on ${host} only, no channel credentials: the officers' tab API, /metrics and Teams local mode are open without sign-in on this machine`,
  };
}

/** Raised when the environment is invalid; the message lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment once; throws a ConfigError naming every invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable counts as unset, as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(`cannot start because the configuration is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  const config = parsed.data;
  const host = config.HOST ?? (config.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
  const access = accessModeOf(config, host);
  if (config.NODE_ENV === 'production') {
    const problems = productionProblems(config);
    if (problems.length > 0)
      throw new ConfigError(`cannot start in production because:\n${problems.map((p) => `✖ ${p}`).join('\n')}`);
  }
  // Zalo is on only with everything it needs: never half-enabled.
  const zaloMissing = (['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const).filter(
    (k) => !config[k],
  ) as string[];
  if (!config.ZALO_OA_ACCESS_TOKEN && !config.ZALO_OA_REFRESH_TOKEN)
    zaloMissing.push('ZALO_OA_ACCESS_TOKEN or ZALO_OA_REFRESH_TOKEN');
  // Teams: with an app id, the credentials its type needs; without one, local mode (Agents
  // Playground, Emulator) outside production only.
  const teamsMissing: string[] = [];
  if (config.MicrosoftAppId) {
    if (config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword)
      teamsMissing.push('MicrosoftAppPassword');
    if (config.MicrosoftAppType !== 'MultiTenant' && !config.MicrosoftAppTenantId)
      teamsMissing.push('MicrosoftAppTenantId');
  } else if (!access.officersOpen) {
    teamsMissing.push('MicrosoftAppId (local mode without credentials is only for a development server on loopback)');
  }
  const teams = {
    enabled: teamsMissing.length === 0,
    missing: teamsMissing,
    localMode: !config.MicrosoftAppId && access.officersOpen,
  };
  return {
    ...config,
    NODE_ENV: config.NODE_ENV ?? 'development',
    HOST: host,
    access,
    webchatEnabled: config.WEBCHAT_ENABLED ?? config.NODE_ENV !== 'production',
    zalo: { enabled: zaloMissing.length === 0, missing: zaloMissing },
    teams,
  };
}

/**
 * The tenants whose users may use the Teams bot and the officers' tab: TEAMS_ALLOWED_TENANTS, else
 * the bot's own tenant (MicrosoftAppTenantId). Empty: nobody, except Teams' local mode.
 */
export function allowedTenants(config: Pick<Config, 'TEAMS_ALLOWED_TENANTS' | 'MicrosoftAppTenantId'>): string[] {
  if (config.TEAMS_ALLOWED_TENANTS.length > 0) return config.TEAMS_ALLOWED_TENANTS;
  return config.MicrosoftAppTenantId ? [config.MicrosoftAppTenantId] : [];
}

const SECRETS = [
  'ZALO_APP_SECRET',
  'ZALO_OA_SECRET_KEY',
  'ZALO_OA_ACCESS_TOKEN',
  'ZALO_OA_REFRESH_TOKEN',
  'MicrosoftAppPassword',
  'USER_HASH_SALT',
  'METRICS_TOKEN',
] as const;
const PLACEHOLDER =
  /^(change[-_ ]?me|x{3,}|todo|tbd|placeholder|secret|password|test|example|your[-_ ].*|<.*>|\.\.\.|tro-ly-khuyen-cong)$/i;

/** What production refuses: placeholder secrets, the default salt, a half-configured channel. */
function productionProblems(config: z.output<typeof ConfigSchema>): string[] {
  const problems: string[] = [];
  if (!config.USER_HASH_SALT || config.USER_HASH_SALT === 'tro-ly-khuyen-cong')
    problems.push('USER_HASH_SALT must be set to a secret value of your own');
  for (const key of SECRETS) {
    const value = config[key];
    if (key !== 'USER_HASH_SALT' && value && PLACEHOLDER.test(value)) problems.push(`${key} looks like a placeholder`);
  }
  const zaloKeys = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const;
  const zaloSet = zaloKeys.filter((k) => config[k]);
  if (zaloSet.length > 0 && zaloSet.length < zaloKeys.length)
    problems.push(`Zalo is half-configured: set ${zaloKeys.filter((k) => !config[k]).join(', ')} or none of them`);
  if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword)
    problems.push('MicrosoftAppPassword is required with MicrosoftAppId');
  // A multi-tenant app is signed into by every Microsoft tenant: its officers' data needs the list.
  if (config.MicrosoftAppId && config.MicrosoftAppType === 'MultiTenant' && config.TEAMS_ALLOWED_TENANTS.length === 0) {
    problems.push(
      "TEAMS_ALLOWED_TENANTS must list the tenant ids whose officers may use the Teams bot and the officers' tab: with MicrosoftAppType=MultiTenant they would be open to every Microsoft tenant",
    );
  }
  return problems;
}
