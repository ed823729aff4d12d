/** MEDIA_STORAGE=s3 and its settings (lib/env.ts): all-or-nothing, one line naming what is missing. */
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://user:pass@localhost:5432/broadsheet',
  SITE_URL: 'https://news.example.com',
  AUTH_SECRET: 'p'.repeat(32),
};
const s3 = {
  MEDIA_STORAGE: 's3',
  S3_BUCKET: 'broadsheet-media',
  S3_REGION: 'auto',
  S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'secret/with+chars',
};

function message(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error('expected parseEnv to throw');
}

describe('MEDIA_STORAGE=s3', () => {
  it('takes the bucket, region and credentials, with an optional endpoint and path-style addressing', () => {
    const env = parseEnv({ ...production, ...s3 });
    expect(env).toMatchObject({ ...s3, S3_FORCE_PATH_STYLE: false });
    expect(env.S3_ENDPOINT).toBeUndefined();
    const minio = parseEnv({ ...production, ...s3, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true' });
    expect(minio).toMatchObject({ S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: true });
  });

  it('names everything missing in one line, also in development', () => {
    expect(message({ ...production, MEDIA_STORAGE: 's3' })).toBe(
      'Invalid environment: MEDIA_STORAGE is s3, which needs S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (not set)',
    );
    expect(message({ ...production, ...s3, S3_SECRET_ACCESS_KEY: '' })).toBe('Invalid environment: MEDIA_STORAGE is s3, which needs S3_SECRET_ACCESS_KEY (not set)');
    expect(message({ DATABASE_URL: production.DATABASE_URL, ...s3, S3_BUCKET: undefined, S3_REGION: undefined })).toBe(
      'Invalid environment: MEDIA_STORAGE is s3, which needs S3_BUCKET, S3_REGION (not set)',
    );
  });

  it('refuses malformed values by name', () => {
    expect(message({ ...production, ...s3, S3_BUCKET: 'Not_A_Bucket' })).toMatch(/^Invalid environment: S3_BUCKET must be a bucket name/);
    expect(message({ ...production, ...s3, S3_ENDPOINT: 'minio:9000' })).toBe('Invalid environment: S3_ENDPOINT must be an http(s):// URL');
    expect(message({ ...production, ...s3, S3_FORCE_PATH_STYLE: 'yes' })).toMatch(/^Invalid environment: S3_FORCE_PATH_STYLE /);
  });

  it('ignores S3 settings unless MEDIA_STORAGE is s3', () => {
    expect(parseEnv({ ...production, S3_BUCKET: 'broadsheet-media' }).MEDIA_STORAGE).toBe('postgres');
    expect(parseEnv({ ...production, MEDIA_STORAGE: 'local' }).MEDIA_STORAGE).toBe('local');
  });
});
