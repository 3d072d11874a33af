import { INestApplicationContext } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { checkRedis } from '../../libs/domain/src';
import { JobName, JobQueue, loadConfig, queuePrefix, QueueName, redisClient } from '../../libs/infrastructure/src';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { freePort, startThrowawayRedis, ThrowawayRedis } from '../support/throwaway-redis';

/** The Redis Cluster slot of a key (CRC16-XMODEM of the key, or of its first non-empty `{hash tag}`, mod 16384). */
function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  const hashed = Buffer.from(open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key);
  let crc = 0;
  for (const byte of hashed) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

/** A Redis Sentinel of this test's own (redis-server --sentinel) watching `master` under `name`. */
async function startSentinel(master: ThrowawayRedis, name: string): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const file = join(tmpdir(), `samverka-sentinel-${process.pid}-${port}.conf`);
  // Sentinel rewrites its configuration file, so it gets one of its own.
  writeFileSync(file, `port ${port}\nbind 127.0.0.1\nsentinel monitor ${name} 127.0.0.1 ${master.port} 1\n`);
  const child: ChildProcess = spawn('redis-server', [file, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('+monitor master')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis sentinel exited (${code}): ${output.slice(-500)}`)));
  });
  return {
    port,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(file, { force: true });
    },
  };
}

describe('Redis for operations: Sentinel, one hash slot per installation, noeviction', () => {
  let master: ThrowawayRedis;
  let sentinel: Awaited<ReturnType<typeof startSentinel>>;
  let db: TestDatabase;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    master = await startThrowawayRedis();
    sentinel = await startSentinel(master, 'samverka-test');
    // REDIS_URL names no reachable server: everything must find the master through the Sentinel.
    db = await createTestDatabase({
      REDIS_URL: 'redis://127.0.0.1:1/0',
      REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
      REDIS_SENTINEL_NAME: 'samverka-test',
    });
  });

  afterAll(async () => {
    await worker?.close();
    await db?.drop();
    await sentinel?.close();
    await master?.close();
  });

  it('finds the master through the Sentinel: the start check passes and the worker runs jobs there', async () => {
    await expect(checkRedis(db.config)).resolves.toEqual({ warnings: [] });
    worker = await startWorker(db);
    const jobs = worker.get(JobQueue);
    await jobs.enqueue(JobName.DECISION_SWEEP, {}, { jobId: 'sentinel-sweep' });
    await eventually(
      async () => (await jobs.queue(QueueName.DECISIONS).getJobState('sentinel-sweep')) === 'completed',
      20_000,
      50,
    );

    // The keys are on the master the Sentinel named, every queue key in the one slot of the installation's hash tag.
    const direct = new Redis(master.url);
    try {
      const keys = await direct.keys('*');
      const queueKeys = keys.filter((k) => k.startsWith(`${queuePrefix(db.config)}:`));
      expect(queueKeys.length).toBeGreaterThan(5);
      expect(queueKeys.some((k) => k.includes(':decisions:')) && queueKeys.some((k) => k.includes(':reminders:'))).toBe(
        true,
      );
      expect(new Set(queueKeys.map(keySlot))).toEqual(new Set([keySlot(`{${db.config.QUEUE_PREFIX}}`)]));
      // Nothing of BullMQ's outside the tag.
      expect(
        keys.filter(
          (k) =>
            k.includes(db.config.QUEUE_PREFIX) &&
            !k.startsWith(`${queuePrefix(db.config)}:`) &&
            !/:(rate|login-failures):/.test(k),
        ),
      ).toEqual([]);
    } finally {
      direct.disconnect();
    }
  });

  it('connects every client through the Sentinel (redisClient), with the database number from REDIS_URL', async () => {
    const client = redisClient({ ...db.config, REDIS_URL: 'redis://127.0.0.1:1/3' });
    try {
      await client.set('sentinel-probe', '1');
      const direct = new Redis(`${master.url}/3`);
      expect(await direct.get('sentinel-probe')).toBe('1');
      direct.disconnect();
    } finally {
      client.disconnect();
    }
  });

  it('warns at start when Redis may evict keys (maxmemory-policy other than noeviction)', async () => {
    const evicting = await startThrowawayRedis(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const { warnings } = await checkRedis(loadConfig({ REDIS_URL: evicting.url }));
      expect(warnings).toEqual([
        expect.stringMatching(/^Redis maxmemory-policy is allkeys-lru; it must be noeviction/),
      ]);
    } finally {
      await evicting.close();
    }
  });

  it('the cluster slot function agrees with Redis Cluster (known slots)', () => {
    // Values from the Redis Cluster specification's test vectors (CLUSTER KEYSLOT).
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });
});
