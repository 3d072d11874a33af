// npm run admin:create: creates the first administrator of a new installation, in the database named by
// DATABASE_URL (migrated first, as the API does on start), and their organisation if it does not exist yet.
// Every later administrator and staff member is added in the web client (Administration). Refuses when the
// installation already has an active administrator.
//
//   npm run admin:create -- --organisation "Område hemlöshet" --kind CITY_HOMELESSNESS_UNIT --principal MUNICIPALITY \
//     --given-name Nils --family-name Forsberg --username nils.forsberg            (password: asked for, or stdin)
//   ... --external-subject <sub>                 (signs in through the organisation's OpenID Connect issuer instead)
//
// The password comes from SAMVERKA_ADMIN_PASSWORD, or is read from standard input (asked for without echo on a
// terminal); it is never printed, logged or passed on the command line.
import 'reflect-metadata';
import { hashPassword } from '@samverka/auth';
import {
  openDatabase,
  Organisation,
  OrganisationKind,
  OrganisationService,
  Principal,
  Profession,
  StaffMember,
  StaffService,
} from '@samverka/domain';
import { loadConfig } from '@samverka/infrastructure';
import readline from 'node:readline';

const MIN_PASSWORD_LENGTH = 12;

const USAGE = `usage: npm run admin:create -- --organisation <name> [--kind <${Object.values(OrganisationKind).join('|')}>] [--principal <${Object.values(Principal).join('|')}>]
  --given-name <name> --family-name <name> (--username <username> | --external-subject <OpenID Connect subject>) [--email <address>]
password (with --username): SAMVERKA_ADMIN_PASSWORD, or standard input; at least ${MIN_PASSWORD_LENGTH} characters`;

class UsageError extends Error {}

function options(argv: string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i])?.[1];
    if (!name || argv[i + 1] === undefined || argv[i + 1].startsWith('--'))
      throw new UsageError(`unexpected argument ${argv[i]}`);
    found[name] = argv[++i];
  }
  return found;
}

/** One line from standard input; on a terminal asked for with a prompt and without echo. */
function readPassword(): Promise<string> {
  return new Promise((resolve, reject) => {
    const tty = process.stdin.isTTY;
    const rl = readline.createInterface({
      input: process.stdin,
      output: tty ? process.stderr : undefined,
      terminal: tty,
    });
    if (tty) {
      process.stderr.write('Password for the new administrator: ');
      // Nothing typed is echoed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    }
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (tty) process.stderr.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('close', () => !answered && reject(new UsageError('no password on standard input')));
  });
}

async function main(argv: string[]): Promise<number> {
  const o = options(argv);
  for (const required of ['organisation', 'given-name', 'family-name'])
    if (!o[required]?.trim()) throw new UsageError(`--${required} is required`);
  if (!o.username === !o['external-subject']) throw new UsageError('give either --username or --external-subject');
  const kind = (o.kind ?? OrganisationKind.OTHER) as OrganisationKind;
  const principal = (o.principal ?? Principal.OTHER) as Principal;
  if (!Object.values(OrganisationKind).includes(kind)) throw new UsageError(`unknown --kind ${kind}`);
  if (!Object.values(Principal).includes(principal)) throw new UsageError(`unknown --principal ${principal}`);
  let passwordHash: string | null = null;
  if (o.username) {
    const password = process.env.SAMVERKA_ADMIN_PASSWORD || (await readPassword());
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    passwordHash = await hashPassword(password);
  }

  const db = await openDatabase(loadConfig(), { migrate: true });
  try {
    if (await db.getRepository(StaffMember).existsBy({ administrator: true, active: true })) {
      console.error(
        'admin:create: this installation already has an administrator; add more in the web client (Administration, Staff)',
      );
      return 1;
    }
    const organisations = new OrganisationService(db);
    const organisation =
      (await db.getRepository(Organisation).findOneBy({ name: o.organisation.trim() })) ??
      (await organisations.create({ name: o.organisation.trim(), kind, principal }));
    const admin = await new StaffService(db).create({
      organisationId: organisation.id,
      givenName: o['given-name'].trim(),
      familyName: o['family-name'].trim(),
      profession: Profession.OTHER,
      email: o.email ?? null,
      username: o.username ?? null,
      passwordHash,
      externalSubject: o['external-subject'] ?? null,
      administrator: true,
    });
    console.log(
      `admin:create: created administrator ${admin.id} in ${organisation.name}; ${o.username ? `sign in as ${o.username}` : 'sign in through the organisation'}`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(
      `admin:create: ${error instanceof UsageError ? error.message : `could not create the administrator (${error.message.split('\n')[0]})`}`,
    );
    if (error instanceof UsageError) console.error(USAGE);
    process.exitCode = error instanceof UsageError ? 64 : 2;
  },
);
