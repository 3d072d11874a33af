// npm run audit:verify: checks the access log's keyed hash chain in the database named by DATABASE_URL, with
// ACCESS_LOG_KEY, against the checkpoints in ACCESS_LOG_CHECKPOINT_FILE, and exits non-zero when any entry was
// edited, inserted or deleted, the chain was truncated or rewritten, or retention was anchored on a young entry
// (see README, "Consent, access control and audit"). With --seal it first chains the entries written since the
// last sealing (the API does that every second anyway).
import 'reflect-metadata';
import { AccessLogService, createDataSource } from '@samverka/domain';
import { loadConfig } from '@samverka/infrastructure';

async function main(): Promise<number> {
  const config = loadConfig();
  const db = createDataSource({ DATABASE_URL: config.DATABASE_URL, DATABASE_POOL_SIZE: 2 });
  await db.initialize();
  try {
    const log = new AccessLogService(db, config);
    if (!config.ACCESS_LOG_CHECKPOINT_FILE)
      console.log('access log: no ACCESS_LOG_CHECKPOINT_FILE, so the chain is checked against the database alone');
    if (process.argv.includes('--seal')) await log.sealPending();
    const report = await log.verify(1000);
    console.log(
      `access log: ${report.sealed} sealed entries, ${report.unsealed} not yet sealed; head ${report.headSeq ?? '-'} ${report.headHash ?? ''}`,
    );
    for (const p of report.problems)
      console.log(`TAMPERED chain_seq=${p.chainSeq}${p.entryId ? ` entry=${p.entryId}` : ''}: ${p.problem}`);
    console.log(report.ok ? 'RESULT audit-verify ok' : `RESULT audit-verify FAILED problems=${report.problems.length}`);
    return report.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`audit:verify could not run: ${error.message}`);
    process.exitCode = 2;
  },
);
