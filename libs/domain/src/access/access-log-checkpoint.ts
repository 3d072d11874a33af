import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * The access log's head recorded outside PostgreSQL: one line per checkpoint appended to a file
 * (ACCESS_LOG_CHECKPOINT_FILE), each carrying an HMAC under ACCESS_LOG_KEY so that it cannot be forged.
 * A file rather than Redis: appends are durable and simple to reason about, and Redis may drop data.
 * Whoever rewrites the database cannot rewrite these: a chain that ends before a checkpointed head, an
 * entry that no longer has its checkpointed hash, or a retention anchor past a recent checkpoint shows.
 */
export interface Checkpoint {
  /** Which database (name and oid), so that a recreated database is not judged by another's checkpoints. */
  database: string;
  seq: string;
  /** The entry's hash (hex) at that place. */
  hash: string;
  /** When it was written, by the application's clock. */
  at: string;
}

export interface CheckpointLine {
  checkpoint: Checkpoint | null;
  /** 1-based line number, for reports. */
  line: number;
}

function mac(key: string, c: Checkpoint): string {
  return createHmac('sha256', key).update(['checkpoint-v1', c.database, c.seq, c.hash, c.at].join('|')).digest('hex');
}

export class CheckpointFile {
  constructor(
    private readonly path: string,
    private readonly key: string,
  ) {}

  append(c: Checkpoint): void {
    appendFileSync(this.path, `${JSON.stringify({ ...c, mac: mac(this.key, c) })}\n`, { mode: 0o600 });
  }

  /** Every line; a line whose MAC does not match (forged or damaged) has checkpoint null. */
  read(): CheckpointLine[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .map((text, i) => ({ text, line: i + 1 }))
      .filter(({ text }) => text.trim() !== '')
      .map(({ text, line }) => {
        try {
          const { database, seq, hash, at, mac: given } = JSON.parse(text) as Checkpoint & { mac: string };
          const c = { database: String(database), seq: String(seq), hash: String(hash), at: String(at) };
          const expected = Buffer.from(mac(this.key, c), 'hex');
          const actual = Buffer.from(String(given), 'hex');
          return {
            checkpoint: actual.length === expected.length && timingSafeEqual(actual, expected) ? c : null,
            line,
          };
        } catch {
          return { checkpoint: null, line };
        }
      });
  }
}
