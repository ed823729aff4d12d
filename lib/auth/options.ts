import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import type { Provider } from 'next-auth/providers/index';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import { z } from 'zod';
import { env } from '@/lib/env';
import { findActiveAccountIdByEmail } from './accounts';
import { clientIp } from './ip';
import { MAX_PASSWORD } from './password';
import { endSessionById, startSession, type RequestMeta } from './session-store';
import { signInWithCredentials } from './two-factor-signin';
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from './two-factor-answers';
import { signInCodeSchema } from './two-factor-schemas';

/**
 * The signing-in request's address and browser (the jwt callback runs inside next-auth's route
 * handler). Imported when called: the job worker's bundle (scripts/build-server.mjs, plain node)
 * reaches this module through lib/auth/viewer.ts and cannot resolve `next/headers` statically.
 */
async function requestMeta(): Promise<RequestMeta> {
  try {
    const { headers } = await import('next/headers');
    const h = await headers();
    return { ip: clientIp(h), userAgent: h.get('user-agent') ?? '' };
  } catch {
    return { ip: 'unknown', userAgent: '' };
  }
}

const credentialsSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(MAX_PASSWORD),
  code: signInCodeSchema,
});

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' }, code: { type: 'text' } },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const outcome = await signInWithCredentials(parsed.data, clientIp(req.headers ?? {}));
        if (outcome.ok) return { id: outcome.id };
        if (outcome.reason === 'two-factor-required') throw new Error(TWO_FACTOR_REQUIRED);
        if (outcome.reason === 'two-factor-invalid') throw new Error(TWO_FACTOR_INVALID);
        return null;
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    list.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    list.push({
      id: 'oidc',
      name: e.OIDC_NAME,
      type: 'oauth',
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile: (profile: { sub: string; email?: string; name?: string }) => ({
        id: profile.sub,
        email: profile.email,
        name: profile.name,
      }),
    });
  }
  return list;
}

let cached: NextAuthOptions | undefined;

/**
 * Sessions are signed JWT cookies carrying only the user id, its session row's id and the session
 * version: any instance can verify them, and the data-access layer checks the row and the version and
 * re-reads role and disabled state on every request (lib/auth/viewer.ts).
 */
export function getAuthOptions(): NextAuthOptions {
  // Built on first use, not at import: `next build` imports this module without a runtime environment.
  if (cached) return cached;
  // next-auth reads NEXTAUTH_URL for its own links; SITE_URL is the one setting people configure.
  process.env.NEXTAUTH_URL ??= env().SITE_URL;
  cached = {
    secret: env().AUTH_SECRET,
    session: { strategy: 'jwt', maxAge: 7 * 24 * 60 * 60 },
    useSecureCookies: env().SITE_URL.startsWith('https://'),
    pages: { signIn: '/login', error: '/login' },
    providers: providers(),
    callbacks: {
      async signIn({ user, account }) {
        if (!account || account.provider === 'credentials') return !!user;
        // OAuth/OIDC: only people who already have an account here.
        return (await findActiveAccountIdByEmail(user.email)) !== null;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const userId = account.provider === 'credentials' ? user.id : await findActiveAccountIdByEmail(user.email);
          // A row per signed-in device; the cookie carries its id (sid) and the session version (sv).
          const started = userId ? await startSession(userId, await requestMeta()) : null;
          token.sub = started ? userId! : undefined;
          token.sid = started?.sessionId;
          token.sv = started?.version;
          // Nothing else from the provider is kept in the cookie.
          delete token.name;
          delete token.email;
          delete token.picture;
        }
        return token;
      },
      async session({ session, token }) {
        return { expires: session.expires, user: { id: token.sub, sid: token.sid, sv: token.sv } } as typeof session;
      },
    },
    events: {
      // Signing out revokes the cookie's own session row: a copy of the cookie is dead too.
      async signOut({ token }) {
        await endSessionById(token?.sid);
      },
    },
  };
  return cached;
}
