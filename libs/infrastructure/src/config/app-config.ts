import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { DEVELOPMENT_ACCESS_LOG_KEY, secretProblem } from './secret-strength';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * The one configuration of every Samverka process, read from the environment and validated at boot.
 * Defaults work against a local PostgreSQL and Redis; production overrides them.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** The application role (the API and the worker): owns nothing, holds only its grants (libs/domain/src/database/roles.ts). */
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, { message: 'DATABASE_URL must be a postgres:// URL that names a database' })
  DATABASE_URL = 'postgres://samverka_app@127.0.0.1:5432/samverka';

  /**
   * The owner role, which owns the schema and runs the migrations at start. Unset: the default owner when
   * DATABASE_URL is unset too, else DATABASE_URL itself (one role, which production refuses).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: 'DATABASE_OWNER_URL must be a postgres:// URL that names a database',
  })
  DATABASE_OWNER_URL?: string;

  /**
   * A direct connection (not through PgBouncer) as the application role, for what needs a session of its own:
   * the outbox relay's LISTEN. Unset: DATABASE_URL, which is then assumed to be direct too.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: 'DATABASE_DIRECT_URL must be a postgres:// URL that names a database',
  })
  DATABASE_DIRECT_URL?: string;

  /** `false`: the API and the worker do not migrate at start; `npm run migrate` (a job of its own) does. */
  @IsIn(['true', 'false'])
  MIGRATE_ON_START: 'true' | 'false' = 'true';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Redis Sentinel: comma-separated `host:port` of the Sentinels; ioredis asks them for the master of
   * REDIS_SENTINEL_NAME and follows failovers. REDIS_URL then gives only credentials, database and TLS.
   */
  @IsOptional()
  @Matches(/^\s*[^\s,:]+(:\d+)?(\s*,\s*[^\s,:]+(:\d+)?)*\s*$/, {
    message: 'REDIS_SENTINELS must be comma-separated host:port pairs',
  })
  REDIS_SENTINELS?: string;

  @IsString()
  REDIS_SENTINEL_NAME = 'mymaster';

  @IsOptional()
  @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  /** Prefix of every BullMQ key, so several installations (or test files) can share one Redis. */
  @IsString()
  @Matches(/^[a-z0-9_-]+$/i, { message: 'QUEUE_PREFIX may only hold letters, digits, - and _' })
  QUEUE_PREFIX = 'samverka';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Which proxies in front of the API to believe about the client's address (X-Forwarded-For), for the access
   * log and the rate limits: empty or `false` (none: the address is the connection's), a number of hops, or
   * addresses and subnets and the names `loopback`, `linklocal`, `uniquelocal`, comma-separated (Express's
   * `trust proxy`). `true` believes any sender, so a client could name any address: prefer the balancer's subnet.
   */
  @Matches(
    /^\s*(|true|false|\d{1,2}|(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?))*)\s*$/,
    {
      message:
        'must be empty, true, false, a number of hops, or comma-separated addresses, subnets, loopback, linklocal or uniquelocal',
    },
  )
  TRUST_PROXY = '';

  /** `local`: demo logins with passwords and tokens we sign; `oidc`: tokens from an external OpenID Connect issuer. */
  @IsIn(['local', 'oidc'])
  AUTH_MODE: 'local' | 'oidc' = 'local';

  @IsString()
  @MinLength(32, { message: 'TOKEN_SECRET must be at least 32 characters' })
  TOKEN_SECRET = 'development-only-secret-change-me-0000000000';

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  TOKEN_TTL_SECONDS = 8 * 3600;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OIDC_JWKS_URL?: string;

  /** Which token claim names the staff member; matched against staff_member.external_subject. */
  @IsString()
  OIDC_SUBJECT_CLAIM = 'sub';

  /** The web client's OpenID Connect client (authorization code flow with PKCE); required with AUTH_MODE=oidc. */
  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  /** The client's secret at the provider; leave unset for a public client (PKCE alone). */
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** A browser session ends after this many minutes without a request. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 30;

  /** A browser session ends this many hours after sign-in, however active. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  SESSION_MAX_HOURS = 12;

  /** Access-log entries are kept this many days; patientdatalagen requires at least five years. */
  @Transform(toInt)
  @IsInt()
  @Min(5 * 365, { message: 'ACCESS_LOG_RETENTION_DAYS must be at least 1825 (five years, patientdatalagen)' })
  ACCESS_LOG_RETENTION_DAYS = 5 * 365;

  /**
   * Keys the access log's hash chain (HMAC-SHA256) and its checkpoints; held outside the database so that
   * whoever can rewrite the database cannot recompute the chain. At least 256 bits; required in production.
   */
  @IsString()
  @MinLength(43, { message: 'ACCESS_LOG_KEY must be at least 43 characters (256 bits)' })
  ACCESS_LOG_KEY = DEVELOPMENT_ACCESS_LOG_KEY;

  /** Append-only file outside the database where the sealer records the chain's head (keyed); required in production. */
  @IsOptional()
  @IsString()
  ACCESS_LOG_CHECKPOINT_FILE?: string;

  /** How long an emergency access (nödåtkomst) stays open once a staff member has stated the reason. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  EMERGENCY_ACCESS_HOURS = 4;

  /**
   * Benchmark only: `true` makes the access policy skip writing access-log entries, so that
   * `npm run bench:audit` can compare throughput with and without them. Refused in production.
   */
  @IsIn(['true', 'false'])
  ACCESS_LOG_BENCHMARK_OFF: 'true' | 'false' = 'false';

  /** Requests one signed-in user may make a minute, counted in Redis across every API instance; 0 turns it off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_USER_PER_MINUTE = 600;

  /** Requests one client address may make a minute (across instances); 0 turns it off (e.g. behind a proxy that hides addresses). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_CLIENT_PER_MINUTE = 3000;

  /** How long an approved discharge decision may be used. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  DISCHARGE_APPROVAL_VALID_DAYS = 14;

  // --- Reminders and notifications -------------------------------------------------------------

  /** Date-based reminders (follow-ups, consent, legal checks) fall due at this Swedish local time. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'REMINDER_TIME_OF_DAY must be HH:MM' })
  REMINDER_TIME_OF_DAY = '08:00';

  /** Days after a case starts before an unanswered children question, unidentified relatives or an unassessed violence exposure is flagged. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  CASE_CHECK_DAYS = 14;

  /** Days after an LVM report before a missing pre-assessment (förhandsbedömning) is flagged. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  LVM_PRE_ASSESSMENT_DAYS = 3;

  /** Days without contact before the collaboration group is told, for persons no ACT team has (ACT teams set their own). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  NO_CONTACT_ALERT_DAYS = 30;

  /** How long an integration client's OAuth access token is valid (seconds); short, since a client asks for a new one with its credentials. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  OAUTH_ACCESS_TOKEN_TTL_SECONDS = 300;

  /** Where staff open Samverka; e-mail and SMS carry a link here instead of any health detail. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  APP_URL = 'http://localhost:3000';

  /** SMTP server for e-mail (smtp:// or smtps://, credentials in the URL); without it e-mail is off. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Samverka <noreply@samverka.local>';

  /** HTTP endpoint of the SMS gateway (POST, JSON); without it SMS is off. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SMS_GATEWAY_URL?: string;

  @IsOptional()
  @IsString()
  SMS_GATEWAY_TOKEN?: string;

  /** Attempts per e-mail or SMS before it is marked failed, with exponential backoff from NOTIFY_BACKOFF_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  NOTIFY_ATTEMPTS = 6;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  NOTIFY_BACKOFF_MS = 5_000;

  /**
   * Attempts per webhook delivery, with exponential backoff from WEBHOOK_BACKOFF_MS (base * 2^(n-1)). The
   * defaults (12 attempts from one minute) retry for about 34 hours; the README's schedule is computed from them.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  WEBHOOK_ATTEMPTS = 12;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_BACKOFF_MS = 60_000;

  /** How long a partner's endpoint has to answer one attempt. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Port of the worker's health and readiness endpoints (0: any free port). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT = 3001;

  /**
   * After SIGTERM: how long jobs in flight (worker) and requests in flight (API) may take to finish before
   * they are cut off; the process exits within about this long (a job cut off is taken up again by another worker).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SHUTDOWN_GRACE_MS = 1500;

  /**
   * How long a signed-in browser's page request waits for its first screen, rendered by the API (the reads and the
   * render take some 10-50 ms when all is well), before the plain page goes out and the client reads for itself.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  FIRST_SCREEN_WAIT_MS = 1000;

  /**
   * Bearer token a Prometheus scraper sends for GET /metrics (the API's port and the worker's health port).
   * Unset: /metrics is open outside production and off (404) in production.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Load the synthetic demo data set into an empty database at start (never in production). */
  @IsIn(['true', 'false'])
  SEED_DEMO_DATA: 'true' | 'false' = 'true';

  @IsIn(['error', 'warn', 'log', 'debug'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' = 'log';

  /** `json`: one JSON object a line (for a log collector); `pretty`: readable lines. Unset: `pretty` in development, else `json`. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';
}

export class ConfigError extends Error {}

/** The owner role of a local installation (npm start creates it); see DATABASE_OWNER_URL. */
export const DEFAULT_DATABASE_OWNER_URL = 'postgres://samverka_owner@127.0.0.1:5432/samverka';

/** Reads and validates the configuration; throws a ConfigError whose message is one line naming the setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(
      `Invalid configuration: ${message.startsWith(first.property) ? message : `${first.property} ${message}`}`,
    );
  }
  if (
    config.AUTH_MODE === 'oidc' &&
    !(config.OIDC_ISSUER && config.OIDC_JWKS_URL && config.OIDC_AUDIENCE && config.OIDC_CLIENT_ID)
  ) {
    throw new ConfigError(
      'Invalid configuration: AUTH_MODE=oidc needs OIDC_ISSUER, OIDC_AUDIENCE, OIDC_JWKS_URL and OIDC_CLIENT_ID',
    );
  }
  if (config.NODE_ENV === 'production' && config.AUTH_MODE === 'oidc' && !config.OIDC_ISSUER!.startsWith('https://')) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER must be an https:// URL in production');
  }
  config.LOG_FORMAT ??= config.NODE_ENV === 'development' ? 'pretty' : 'json';
  config.DATABASE_OWNER_URL ??= defined.DATABASE_URL ? config.DATABASE_URL : DEFAULT_DATABASE_OWNER_URL;
  if (config.NODE_ENV === 'production' && !defined.SEED_DEMO_DATA) config.SEED_DEMO_DATA = 'false';
  if (config.NODE_ENV === 'production' && config.SEED_DEMO_DATA === 'true') {
    throw new ConfigError(
      'Invalid configuration: SEED_DEMO_DATA=true is refused in production (demo logins share a published password)',
    );
  }
  if (config.NODE_ENV === 'production' && config.ACCESS_LOG_BENCHMARK_OFF === 'true') {
    throw new ConfigError(
      'Invalid configuration: ACCESS_LOG_BENCHMARK_OFF is for benchmarks only and refused in production (every access is logged)',
    );
  }
  if (config.NODE_ENV === 'production' && config.TOKEN_SECRET.startsWith('development-only')) {
    throw new ConfigError('Invalid configuration: TOKEN_SECRET must be set in production');
  }
  if (config.NODE_ENV === 'production') {
    for (const name of ['TOKEN_SECRET', 'ACCESS_LOG_KEY'] as const) {
      const problem = secretProblem(config[name]);
      if (problem) throw new ConfigError(`Invalid configuration: ${name} ${problem}`);
    }
    if (!config.ACCESS_LOG_CHECKPOINT_FILE) {
      throw new ConfigError(
        'Invalid configuration: ACCESS_LOG_CHECKPOINT_FILE must be set in production (the access log is checkpointed outside the database)',
      );
    }
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
