import type { Agent } from 'node:https';
import { createRequire } from 'node:module';
import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import {
  AuthenticationConstants,
  MsalServiceClientCredentialsFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import express, { type Router } from 'express';
import { allowedTenants, type Config } from '../../bot/config.ts';
import type { Logger } from '../../bot/logger.ts';
import { TURN_AUDIENCE, TURN_REQUEST_ID } from '../../bot/request-context.ts';
import { DeadlineError, within } from '../../bot/within.ts';
import type { BotRuntime } from '../../bot/runtime.ts';
import type { RegistrationRecord, Stores } from '../../bot/stores.ts';
import {
  canSee,
  DEVELOPMENT_ADMIN,
  hasRole,
  identityFromActivity,
  type OfficerAccess,
  type OfficerIdentity,
} from '../../bot/officers.ts';
import { localDate, staleCycles } from '../../knowledge/index.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../bot/http-route.ts';
import { boundedSignInNetwork } from './sign-in-network.ts';
import { registrationCard, replyAsCard } from './teams-cards.ts';
import { officerCommand, subscriptionKey, type Subscription } from './officer-commands.ts';
import { registrationWork } from '../../bot/registration-work.ts';
import { curatorConversationKey, teamsDigest } from './teams-digest.ts';
import type { OwnerMessaging } from '../../bot/owner-messages.ts';

const TEAMS = 'msteams';
const REFUSED =
  'Dạ, xin lỗi, trợ lý này chỉ phục vụ cán bộ của các đơn vị đã được cấp quyền. Bạn vui lòng liên hệ quản trị viên của Sở Công Thương.';

/**
 * How long a call to the Bot Connector (a reply, a notification) may take before it is abandoned.
 * botbuilder's HTTP pipeline retries server errors and throttling at most 3 times, with backoff;
 * a call abandoned for time is not retried.
 */
export const CONNECTOR_TIMEOUT_MS = 10_000;

/** How long a request to Microsoft Entra ID for the bot's token (or its sign-in metadata) may take. */
export const SIGN_IN_TIMEOUT_MS = 10_000;

// MSAL's CommonJS build, the one botframework-connector loads: importing it would load its ES
// module build as well, a second copy of the library.
const { ConfidentialClientApplication } = createRequire(import.meta.url)(
  '@azure/msal-node',
) as typeof import('@azure/msal-node');
type ClientApplication = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];

/** Where a bot signs in: its own tenant (single-tenant apps), or the Bot Framework's (multi-tenant). */
const ENTRA_LOGIN_URL = 'https://login.microsoftonline.com/';

/**
 * The credentials of a bot that signs in with its app password, as botbuilder's own factory makes
 * them (same tenant, same token scope, same token cache), but whose requests to the sign-in
 * service give up after `timeoutMs`: botbuilder's go through MSAL's network client, which sets no
 * timeout on token requests. Managed identities keep botbuilder's factory, which signs in
 * through @azure/identity and Azure's instance metadata service, with whatever bounds those set.
 */
function boundedPasswordCredentials(
  config: Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'>,
  logger: Logger,
  timeoutMs: number,
  signIn: { loginUrl?: string; agent?: Agent } = {},
): ServiceClientCredentialsFactory | undefined {
  if (!config.MicrosoftAppId || !config.MicrosoftAppPassword || config.MicrosoftAppType === 'UserAssignedMSI')
    return undefined;
  const tenant = config.MicrosoftAppType === 'SingleTenant' ? config.MicrosoftAppTenantId : 'botframework.com';
  const authority = `${signIn.loginUrl ?? ENTRA_LOGIN_URL}${tenant}`;
  const application = new ConfidentialClientApplication({
    // The authority's host is trusted as given, so MSAL asks no discovery service about it.
    auth: {
      clientId: config.MicrosoftAppId,
      clientSecret: config.MicrosoftAppPassword,
      authority,
      knownAuthorities: [new URL(authority).host],
    },
    system: { networkClient: boundedSignInNetwork(timeoutMs, logger, signIn.agent) },
  });
  return new MsalServiceClientCredentialsFactory(config.MicrosoftAppId, application as unknown as ClientApplication);
}

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
/** The part of @azure/core-rest-pipeline's Pipeline used here. */
interface Pipeline {
  getOrderedPolicies(): { name: string }[];
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { timeout: number },
      next: (request: { timeout: number }) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}
const TIMEOUT_POLICY = 'kcConnectorTimeout';

/**
 * Bot Framework authentication whose connector clients give up on a call after `timeoutMs`:
 * botbuilder sets no timeout, so a Bot Connector that never answers would hold a Teams turn,
 * and with it the conversation's turn lock, for ever. (botbuilder's ConnectorFactoryImpl
 * replaces any request policies passed in its options, so the timeout is added to each client's
 * pipeline once it is made.) Validating a request's token is bounded too, by `signInTimeoutMs`:
 * botbuilder fetches the Bot Framework's signing keys with no timeout, so while their service
 * hung every Teams request would have waited for ever; it is answered 500 instead, and the Bot
 * Connector sends it again later.
 */
class BoundedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    private readonly timeoutMs: number,
    private readonly signInTimeoutMs: number,
    private readonly logger: Logger,
    credentials?: ServiceClientCredentialsFactory,
  ) {
    super(options, credentials);
  }

  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
  ): Promise<AuthenticateRequestResult> {
    const validated = super.authenticateRequest(...args);
    const result = await within(validated, this.signInTimeoutMs, "validating the request's Bot Framework token").catch(
      (error: unknown) => {
        if (error instanceof DeadlineError) {
          this.logger.warn(
            { channel: TEAMS, timeoutMs: this.signInTimeoutMs },
            "teams: the Bot Framework's signing keys did not arrive in time; the request is answered 500",
          );
        }
        throw error;
      },
    );
    return result.connectorFactory ? { ...result, connectorFactory: this.bounded(result.connectorFactory) } : result;
  }

  override createConnectorFactory(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>
  ): ConnectorFactory {
    return this.bounded(super.createConnectorFactory(...args));
  }

  private bounded(factory: ConnectorFactory): ConnectorFactory {
    const timeoutMs = this.timeoutMs;
    return Object.assign(Object.create(factory) as ConnectorFactory, {
      async create(serviceUrl: string, audience?: string) {
        const connector = await factory.create(serviceUrl, audience);
        // botbuilder 4.23's ConnectorClient keeps its @azure/core-client ServiceClient in `client`
        // (private in its types); a pipeline policy is that library's own way to set a timeout.
        const pipeline = (connector as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
        if (!pipeline)
          throw new Error("cannot bound the Bot Connector calls because botbuilder's connector client has changed");
        if (!pipeline.getOrderedPolicies().some((p) => p.name === TIMEOUT_POLICY)) {
          pipeline.addPolicy({
            name: TIMEOUT_POLICY,
            sendRequest: (request, next) => {
              request.timeout = timeoutMs;
              return next(request);
            },
          });
        }
        return connector;
      },
    });
  }
}

/**
 * Whether a Teams conversation's tenant may use the bot: one of the allowed tenants (see
 * `allowedTenants`); with none, no tenant at all, except in local mode (no app id, never in
 * production), where requests are not authenticated and the tenant is whatever the client says.
 */
export function teamsTenantPolicy(
  config: Pick<Config, 'TEAMS_ALLOWED_TENANTS' | 'MicrosoftAppTenantId' | 'teams'>,
): (tenant: string | undefined) => boolean {
  const tenants = new Set(allowedTenants(config));
  if (tenants.size === 0) return () => config.teams.localMode;
  return (tenant) => tenant !== undefined && tenants.has(tenant);
}

/** What createTeamsChannel takes. */
interface TeamsChannelOptions {
  config: Config;
  runtime: BotRuntime;
  stores: Stores;
  logger: Logger;
  /** How officers are recognised (bot/officers.ts). */
  access: OfficerAccess;
  /** Sends the daily digests at TEAMS_DIGEST_HOUR (the server; tests send them by hand). */
  scheduleDigest?: boolean;
  /** Officers' messages to owners ("nhắn KC-…"). */
  messaging?: OwnerMessaging;
  connectorTimeoutMs?: number;
  /**
   * Tests: stand-ins for Microsoft Entra ID (its address, ending in /, and an agent that trusts
   * its certificate) and for the Bot Framework's OpenID metadata, and a shorter timeout.
   */
  signIn?: { loginUrl?: string; agent?: Agent; openIdMetadataUrl?: string; timeoutMs?: number };
}

/**
 * The Bot Framework authentication of the channel, every outbound call bounded. Without an app id
 * (local mode, never in production) requests are not authenticated.
 */
function teamsAuthentication(options: TeamsChannelOptions): BoundedBotFrameworkAuthentication {
  const { config, logger } = options;
  const signInTimeoutMs = options.signIn?.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
  // With one endpoint given, botbuilder takes them all as given: the public cloud's others are spelt out.
  const openIdMetadata = options.signIn?.openIdMetadataUrl
    ? {
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
        ToBotFromChannelOpenIdMetadataUrl: options.signIn.openIdMetadataUrl,
      }
    : {};
  return new BoundedBotFrameworkAuthentication(
    config.MicrosoftAppId
      ? {
          MicrosoftAppId: config.MicrosoftAppId,
          MicrosoftAppPassword: config.MicrosoftAppPassword,
          MicrosoftAppType: config.MicrosoftAppType,
          MicrosoftAppTenantId: config.MicrosoftAppTenantId,
          ...openIdMetadata,
        }
      : {},
    options.connectorTimeoutMs ?? CONNECTOR_TIMEOUT_MS,
    signInTimeoutMs,
    logger,
    boundedPasswordCredentials(config, logger, signInTimeoutMs, options.signIn),
  );
}

/**
 * Microsoft Teams for officers: botbuilder's CloudAdapter behind POST /api/messages, answers as
 * Adaptive Cards, officers' commands and notifications of new registrations.
 */
export function createTeamsChannel(options: TeamsChannelOptions): {
  router: Router;
  adapter: CloudAdapter;
  digest: ReturnType<typeof teamsDigest>;
  stop: () => void;
} {
  const { config, runtime, stores, logger, access } = options;
  const work = registrationWork(stores, () => new Date());
  const adapter = new CloudAdapter(teamsAuthentication(options));
  const tabUrl = `${(config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '')}/tab`;
  const tenantAllowed = teamsTenantPolicy(config);
  if (!config.teams.localMode && allowedTenants(config).length === 0)
    logger.warn(
      { channel: TEAMS },
      'teams: no tenant is allowed, so every Teams message is refused: set TEAMS_ALLOWED_TENANTS (or MicrosoftAppTenantId)',
    );

  // A curator's or an administrator's personal chat with the bot is where the yearly cycle's
  // reminders reach them (teams-digest.ts); kept once per conversation and process.
  const curatorChats = new Set<string>();
  const rememberCurator = async (context: TurnContext, identity: OfficerIdentity | undefined) => {
    const { conversation } = context.activity;
    if (!identity || !hasRole(identity, 'curator') || conversation?.conversationType !== 'personal') return;
    if (curatorChats.has(conversation.id)) return;
    await stores.references.upsert(
      curatorConversationKey(conversation.id),
      TEAMS,
      {
        reference: TurnContext.getConversationReference(context.activity),
        officer: { id: identity.id, tenantId: identity.tenantId },
      },
      new Date(),
    );
    curatorChats.add(conversation.id);
  };

  // Teams-only concerns, before the common pipeline: tenants, @mentions, commands, cards.
  adapter.use({
    onTurn: async (context, next) => {
      const { activity } = context;
      if (activity.channelId !== TEAMS) return next();
      const tenant =
        (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
        activity.conversation?.tenantId;
      if (!tenantAllowed(tenant)) {
        if (activity.type === 'message') await context.sendActivity(REFUSED);
        return;
      }
      // Removed from a team or chat (or uninstalled there): its notifications would fail for ever.
      const botRemoved =
        activity.type === 'conversationUpdate' &&
        (activity.membersRemoved ?? []).some((m) => m.id === activity.recipient?.id);
      if (botRemoved || (activity.type === 'installationUpdate' && activity.action === 'remove')) {
        await stores.references.remove(subscriptionKey(activity.conversation.id));
        await stores.references.remove(curatorConversationKey(activity.conversation.id));
        curatorChats.delete(activity.conversation.id);
        logger.info({ channel: TEAMS }, 'teams: the bot left a conversation; its notifications stop');
        return;
      }
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        activities.forEach((a, i) => (activities[i] = replyAsCard(a)));
        return nextSend();
      });
      if (activity.type === 'message') {
        TurnContext.removeRecipientMention(activity);
        if (!activity.text && activity.value && typeof (activity.value as { text?: unknown }).text === 'string')
          activity.text = (activity.value as { text: string }).text;
        const identity = await identityFromActivity(
          { aadObjectId: activity.from?.aadObjectId, name: activity.from?.name, tenantId: tenant },
          access,
        );
        // Best effort: the reminders' address must not cost the officer their answer.
        await rememberCurator(context, identity).catch((err: unknown) =>
          logger.warn(
            { channel: TEAMS, err: err instanceof Error ? err.message : String(err) },
            "teams: a curator's chat was not kept for the reminders",
          ),
        );
        if (
          await officerCommand(
            context,
            { stores, tabUrl, work, clock: () => new Date(), messaging: options.messaging },
            identity,
          )
        )
          return;
      }
      return next();
    },
  });
  runtime.attach(adapter);

  // An owner's answer to an officer who wrote from Teams reaches that conversation.
  runtime.onOwnerReply(async (reply) => {
    if (!reply.conversation) return;
    await adapter.continueConversationAsync(config.MicrosoftAppId ?? '', reply.conversation, async (context) => {
      await context.sendActivity(
        `Chủ cơ sở của đăng ký ${reply.code} trả lời${reply.officerName ? ` ${reply.officerName}` : ''}:\n\n${reply.text}\n\nNhắn "nhắn ${reply.code} <nội dung>" để trả lời tiếp.`,
      );
    });
  });

  runtime.onRegistrationSubmitted(async (record: RegistrationRecord) => {
    const subscriptions = (await stores.references.list(TEAMS))
      .filter((r) => r.key.startsWith('teams-sub:'))
      .map((r) => r.reference as unknown as Subscription);
    for (const sub of subscriptions) {
      // A conversation subscribed before its tenant was taken off the list hears nothing more.
      if (!tenantAllowed(sub.reference.conversation?.tenantId)) {
        logger.info({ channel: TEAMS }, 'teams: a subscription of a tenant that is not allowed is skipped');
        continue;
      }
      if (
        sub.digest ||
        (sub.province && sub.province !== record.province) ||
        (sub.supportArea && sub.supportArea !== record.supportArea)
      )
        continue;
      // Only what the officer who subscribed may see today (a province taken away stops it).
      const officer = sub.officer
        ? await identityFromActivity({ aadObjectId: sub.officer.id, tenantId: sub.officer.tenantId }, access)
        : access.developmentAdmin
          ? DEVELOPMENT_ADMIN
          : undefined;
      if (!canSee(officer, record.province)) continue;
      try {
        await adapter.continueConversationAsync(config.MicrosoftAppId ?? '', sub.reference, async (context) => {
          await context.sendActivity({ type: 'message', attachments: [registrationCard(record, tabUrl)] });
        });
      } catch (err) {
        logger.warn(
          { channel: TEAMS, err: err instanceof Error ? err.message : String(err) },
          'teams notification failed',
        );
      }
    }
  });

  const router = express.Router();
  router.post('/api/messages', express.json({ limit: '256kb' }), async (req, res) => {
    // With credentials, a request must at least carry a signed Bot Framework JWT; botbuilder then
    // checks issuer, audience and signature against the published keys.
    if (config.MicrosoftAppId && !looksLikeBotToken(req.get('authorization'))) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    if (nestedDeeperThan(req.body, MAX_JSON_DEPTH)) {
      res.status(400).json({ error: 'too_deeply_nested' });
      return;
    }
    await adapter.process(req, res, (context) => {
      context.turnState.set(TURN_REQUEST_ID, res.locals.requestId);
      // Teams users are officers of an allowed tenant (the middleware above refused the others):
      // answers are composed for a colleague.
      context.turnState.set(TURN_AUDIENCE, 'officer');
      return runtime.bot.run(context);
    });
  });
  const digest = teamsDigest({
    adapter,
    appId: config.MicrosoftAppId ?? '',
    stores,
    access,
    tabUrl,
    hour: config.TEAMS_DIGEST_HOUR,
    logger,
    tenantAllowed,
    staleCycles: (now) => staleCycles(runtime.knowledge.entries, localDate(now, config.TZ)),
  });
  const stop = options.scheduleDigest ? digest.schedule() : () => undefined;
  return { router, adapter, digest, stop };
}

/** A Bearer JWT with an RS256 header and a key id: the only shape the Bot Connector sends. */
export function looksLikeBotToken(header: string | undefined): boolean {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header ?? '');
  if (!m) return false;
  try {
    const head = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    return head.alg === 'RS256' && typeof head.kid === 'string';
  } catch {
    return false;
  }
}
