import { Injectable } from '@nestjs/common';

/**
 * The API's clock for what expires by time in the application itself (client secrets, client assertions,
 * OAuth access tokens). One injectable, so a test can move time instead of waiting for it.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
