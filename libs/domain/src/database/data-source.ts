import { types } from 'pg';
import { DataSource, DataSourceOptions, Logger } from 'typeorm';
import { AppConfig } from '@samverka/infrastructure';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

// Calendar dates (follow-ups, membership periods) stay 'YYYY-MM-DD' strings: as JS Dates they would shift by time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export function dataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
  logger?: Logger,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    extra: { max: config.DATABASE_POOL_SIZE, application_name: 'samverka' },
    logger,
    logging: logger ? ['query', 'error'] : false,
  };
}

export function createDataSource(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
  logger?: Logger,
): DataSource {
  return new DataSource(dataSourceOptions(config, logger));
}
