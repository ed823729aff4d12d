/**
 * `npm run user:create -- --email E --name N --role R`: an operator's way in (a lost admin, a
 * scripted install). The password comes from standard input when it is piped (first line), else a
 * random one is generated and printed once. No viewer: whoever can run this can reach the database.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { closeDb, getDb } from '@/db/client';
import { roles, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { hashPassword } from '@/lib/auth/password';
import { slugify } from '@/lib/slug';
import { isUniqueViolation, uniqueUserSlug } from '@/lib/users/mutations';
import { emailSchema, nameSchema, passwordSchema } from '@/lib/users/schemas';

const USAGE = 'usage: npm run user:create -- --email EMAIL --name NAME --role contributor|author|editor|admin';

const argsSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(roles, `must be one of ${roles.join(', ')}.`),
});

class UsageError extends Error {}

function readArgs() {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = String(issue.path[0] ?? '');
    throw new UsageError(values[option] === undefined ? `--${option} is required.` : `--${option}: ${issue.message}`);
  }
  return parsed.data;
}

async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** The password to set, and whether we made it up (then it must be shown). */
async function password(): Promise<{ value: string; generated: boolean }> {
  if (process.stdin.isTTY) return { value: randomBytes(18).toString('base64url'), generated: true };
  const parsed = passwordSchema.safeParse(await firstLineOfStdin());
  if (!parsed.success) throw new UsageError(`password from standard input: ${parsed.error.issues[0].message}`);
  return { value: parsed.data, generated: false };
}

class DuplicateEmail extends Error {}

try {
  const { email, name, role } = readArgs();
  const secret = await password();
  const passwordHash = await hashPassword(secret.value);
  const userId = await getDb()
    .transaction(async (tx) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
      if (taken) throw new DuplicateEmail();
      const slug = await uniqueUserSlug(tx, slugify(name, 'user'));
      const [row] = await tx.insert(users).values({ email, name, slug, role, passwordHash }).returning({ id: users.id });
      await recordAudit({ actorId: null, action: 'user.create', targetType: 'user', targetId: row.id, detail: { via: 'cli', role } }, tx);
      return row.id;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error, 'users_email_key') ? new DuplicateEmail() : error;
    });
  console.log(`Created ${role} ${name} <${email}> (id ${userId}).`);
  if (secret.generated) console.log(`Password (shown once, keep it safe): ${secret.value}`);
} catch (error) {
  if (error instanceof DuplicateEmail) console.error('Error: someone already has that email; nothing was created.');
  else if (error instanceof UsageError) console.error(`Error: ${error.message}\n${USAGE}`);
  else throw error;
  process.exitCode = 1;
} finally {
  await closeDb();
}
