import { metricsAccess } from '../../libs/infrastructure/src/platform/metrics';

describe('who may read /metrics', () => {
  const token = 'scrape-token-0123456789abcdef';

  it('with METRICS_TOKEN: only the bearer of exactly that token', () => {
    for (const NODE_ENV of ['production', 'development'] as const) {
      const config = { NODE_ENV, METRICS_TOKEN: token };
      expect(metricsAccess(config, `Bearer ${token}`)).toBe('ok');
      expect(metricsAccess(config, `bearer ${token}`)).toBe('ok');
      expect(metricsAccess(config, undefined)).toBe('unauthorized');
      expect(metricsAccess(config, `Bearer ${token}x`)).toBe('unauthorized');
      expect(metricsAccess(config, `Bearer ${token.slice(1)}`)).toBe('unauthorized');
      expect(metricsAccess(config, token)).toBe('unauthorized');
      expect(metricsAccess(config, `Basic ${token}`)).toBe('unauthorized');
    }
  });

  it('without METRICS_TOKEN: off in production, open elsewhere', () => {
    expect(metricsAccess({ NODE_ENV: 'production' }, undefined)).toBe('off');
    expect(metricsAccess({ NODE_ENV: 'production' }, 'Bearer anything')).toBe('off');
    expect(metricsAccess({ NODE_ENV: 'development' }, undefined)).toBe('ok');
    expect(metricsAccess({ NODE_ENV: 'test' }, undefined)).toBe('ok');
  });
});
