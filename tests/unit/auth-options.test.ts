import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@/lib/auth/two-factor-signin', () => ({
  signInWithCredentials: vi.fn(async ({ email, code }: { email: string; code?: string }) => {
    if (email === 'plain@example.com') return { ok: true, id: '33333333-3333-4333-8333-333333333333' };
    if (email !== 'twofactor@example.com') return { ok: false, reason: 'credentials' };
    if (!code) return { ok: false, reason: 'two-factor-required' };
    return code === '123456' ? { ok: true, id: '44444444-4444-4444-8444-444444444444' } : { ok: false, reason: 'two-factor-invalid' };
  }),
}));

vi.mock('@/lib/auth/accounts', () => ({
  findActiveAccountIdByEmail: vi.fn(async (email: string | null | undefined) => (email === 'known@example.com' ? '11111111-1111-4111-8111-111111111111' : null)),
}));

vi.mock('@/lib/auth/session-store', () => ({
  startSession: vi.fn(async () => ({ sessionId: '22222222-2222-4222-8222-222222222222', version: 3 })),
  endSessionById: vi.fn(async () => {}),
}));

const baseEnv = { ...process.env };

async function loadOptions(extra: Record<string, string>) {
  vi.resetModules();
  process.env = { ...baseEnv, NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x', ...extra };
  const { getAuthOptions } = await import('@/lib/auth/options');
  return getAuthOptions();
}

describe('sign-in providers', () => {
  beforeEach(() => {
    process.env = { ...baseEnv };
  });

  it('only email and password when no provider is configured', async () => {
    const options = await loadOptions({});
    expect(options.providers.map((p) => p.id)).toEqual(['credentials']);
  });

  it('GitHub and OIDC switch on when all their variables are set', async () => {
    const options = await loadOptions({
      GITHUB_ID: 'id',
      GITHUB_SECRET: 'secret',
      OIDC_ISSUER: 'https://login.example.com',
      OIDC_CLIENT_ID: 'client',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(options.providers.map((p) => p.id)).toEqual(['credentials', 'github', 'oidc']);
  });

  it('OAuth lets in only people who already have an account, and the cookie carries only our user id', async () => {
    const options = await loadOptions({ GITHUB_ID: 'id', GITHUB_SECRET: 'secret' });
    const account = { provider: 'github', type: 'oauth', providerAccountId: '42' } as never;
    const signIn = options.callbacks!.signIn!;
    expect(await signIn({ user: { id: '42', email: 'known@example.com' }, account } as never)).toBe(true);
    expect(await signIn({ user: { id: '43', email: 'stranger@example.com' }, account } as never)).toBe(false);
    expect(await signIn({ user: { id: '44' }, account } as never)).toBe(false);

    const token = await options.callbacks!.jwt!({
      token: { sub: '42', name: 'Octo', email: 'known@example.com', picture: 'x' },
      user: { id: '42', email: 'known@example.com' },
      account,
    } as never);
    // Our user id, the device's session row and the account's session version: nothing from GitHub.
    expect(token).toEqual({ sub: '11111111-1111-4111-8111-111111111111', sid: '22222222-2222-4222-8222-222222222222', sv: 3 });
  });

  it('cookies are Secure when the site is served over https', async () => {
    expect((await loadOptions({ SITE_URL: 'https://mag.example.com' })).useSecureCookies).toBe(true);
    expect((await loadOptions({ SITE_URL: 'http://localhost:3000' })).useSecureCookies).toBe(false);
  });

  it('credentials: a right password of a two-factor account is refused with a distinct error until the code is right', async () => {
    const options = await loadOptions({});
    const provider = options.providers[0] as unknown as { options: { authorize: (c: Record<string, string>, r: unknown) => Promise<unknown> } };
    const authorize = (credentials: Record<string, string>) => provider.options.authorize(credentials, { headers: {} });
    expect(await authorize({ email: 'plain@example.com', password: 'pw' })).toEqual({ id: '33333333-3333-4333-8333-333333333333' });
    expect(await authorize({ email: 'nobody@example.com', password: 'pw' })).toBeNull();
    await expect(authorize({ email: 'twofactor@example.com', password: 'pw' })).rejects.toThrow('two-factor-required');
    await expect(authorize({ email: 'twofactor@example.com', password: 'pw', code: '000000' })).rejects.toThrow('two-factor-invalid');
    expect(await authorize({ email: 'twofactor@example.com', password: 'pw', code: '123456' })).toEqual({ id: '44444444-4444-4444-8444-444444444444' });
    // Not even an email: nothing is looked up.
    expect(await authorize({ email: 'not an email', password: 'pw' })).toBeNull();
  });
});
