// The client's address, for the access log and the rate limits. Behind a load balancer every connection
// comes from the balancer; with TRUST_PROXY set, the address is read from X-Forwarded-For, believing only the
// proxies TRUST_PROXY names. Express does this for HTTP requests (its `trust proxy` setting and req.ip); the
// same compiled rule is applied here to a WebSocket's upgrade request, which Express never sees.
import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, AppConfig, ConfigError } from '@samverka/infrastructure';
import type { IncomingMessage } from 'node:http';

/** TRUST_PROXY as Express takes it: false (believe no proxy), true (any), a hop count, or addresses and subnets. */
export function trustProxySetting(value: string): boolean | number | string[] {
  const setting = value.trim();
  if (setting === '' || setting === 'false') return false;
  if (setting === 'true') return true;
  if (/^\d+$/.test(setting)) return Number(setting);
  return setting.split(',').map((part) => part.trim());
}

/** Whether the proxy at `address`, `hop` steps from the API, is believed (Express's compiled 'trust proxy fn'). */
export type TrustProxy = (address: string, hop: number) => boolean;

/** Sets Express's `trust proxy` from TRUST_PROXY when the API starts; an address Express cannot read stops the start. */
@Injectable()
export class TrustProxySetting implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const express = this.host.httpAdapter?.getInstance();
    if (!express) return;
    try {
      express.set('trust proxy', trustProxySetting(this.config.TRUST_PROXY));
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration: TRUST_PROXY ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The rule Express compiled from TRUST_PROXY (believes nothing before the API has started). */
  get trust(): TrustProxy {
    return (this.host.httpAdapter?.getInstance()?.get('trust proxy fn') as TrustProxy | undefined) ?? (() => false);
  }
}

@Module({ providers: [TrustProxySetting], exports: [TrustProxySetting] })
export class ClientAddressModule {}

/**
 * The client's address behind the believed proxies, as Express's req.ip works it out: walk X-Forwarded-For
 * from the nearest hop back, and stop at the first address that is not a believed proxy.
 */
export function addressBehindProxies(request: IncomingMessage, trust: TrustProxy): string | null {
  const connected = request.socket?.remoteAddress;
  if (!connected) return null;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean)
    .reverse();
  const chain = [connected, ...forwarded];
  for (let hop = 0; hop < chain.length - 1; hop++) if (!trust(chain[hop], hop)) return chain[hop];
  return chain[chain.length - 1];
}
