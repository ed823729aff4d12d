import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

const DATABASE_URL = 'postgres://user:pass@localhost:5432/broadsheet';
const production = {
  NODE_ENV: 'production',
  DATABASE_URL,
  SITE_URL: 'https://news.example.com',
  AUTH_SECRET: 'p'.repeat(32),
};

function envError(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv', () => {
  it('runs in development with only DATABASE_URL', () => {
    const env = parseEnv({ DATABASE_URL });
    expect(env.NODE_ENV).toBe('development');
    expect(env.DATABASE_URL).toBe(DATABASE_URL);
    expect(env.SITE_URL).toBe('http://localhost:3000');
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.SITE_TITLE).toBe('Broadsheet');
    expect(env.LOG_QUERIES).toBe(false);
  });

  it('accepts postgresql:// and a complete production environment', () => {
    const env = parseEnv({ ...production, DATABASE_URL: 'postgresql://u:p@db:5432/x?sslmode=require', PORT: '8080', LOG_QUERIES: '1' });
    expect(env.NODE_ENV).toBe('production');
    expect(env.PORT).toBe(8080);
    expect(env.LOG_QUERIES).toBe(true);
  });

  it('in production, a missing SITE_URL stops with one line naming it', () => {
    const { SITE_URL: _drop, ...rest } = production;
    const error = envError(rest);
    expect(error.message).toContain('SITE_URL');
    expect(error.message).toMatch(/not set/);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('in production, an empty AUTH_SECRET counts as missing', () => {
    const error = envError({ ...production, AUTH_SECRET: '' });
    expect(error.message).toMatch(/AUTH_SECRET is not set/);
  });

  it('names DATABASE_URL when it is not a postgres URL', () => {
    const error = envError({ DATABASE_URL: 'mysql://x' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('\n');
  });

  it('names DATABASE_URL when it is missing', () => {
    expect(envError({}).message).toMatch(/DATABASE_URL is not set/);
  });

  it('names AUTH_SECRET when it is too short', () => {
    const error = envError({ DATABASE_URL, AUTH_SECRET: 'short' });
    expect(error.message).toContain('AUTH_SECRET');
    expect(error.message).toMatch(/32/);
    expect(error.message).not.toContain('\n');
  });

  it('names PORT when it is not a number', () => {
    const error = envError({ DATABASE_URL, PORT: 'abc' });
    expect(error.message).toContain('PORT');
    expect(error.message).not.toContain('\n');
    expect(envError({ DATABASE_URL, PORT: '70000' }).message).toContain('PORT');
  });

  it('names SITE_URL when it is not http(s)', () => {
    expect(envError({ ...production, SITE_URL: 'ftp://example.com' }).message).toContain('SITE_URL');
  });

  it('trims trailing slashes from SITE_URL', () => {
    expect(parseEnv({ ...production, SITE_URL: 'https://news.example.com/' }).SITE_URL).toBe('https://news.example.com');
    expect(parseEnv({ ...production, SITE_URL: 'https://news.example.com/blog//' }).SITE_URL).toBe('https://news.example.com/blog');
  });
});
