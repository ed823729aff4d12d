/**
 * An endpoint's URL: its syntax (http(s), no credentials, nothing hidden), then where its host points,
 * with WEBHOOK_ALLOW_PRIVATE passed in both ways; hostile spellings of private addresses included.
 */
import { describe, expect, it } from 'vitest';
import { targetProblem } from '@/lib/webhooks/guard';
import { parseWebhookUrl, webhookInputSchema } from '@/lib/webhooks/schemas';

const problemOf = (input: string) => {
  const parsed = parseWebhookUrl(input);
  return 'problem' in parsed ? parsed.problem : null;
};
const urlOf = (input: string) => {
  const parsed = parseWebhookUrl(input);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.url;
};

describe('parseWebhookUrl', () => {
  it('keeps http(s) URLs in their normal form, without a fragment', () => {
    expect(urlOf('  https://Hooks.Example.com/in?x=1#frag ').href).toBe('https://hooks.example.com/in?x=1');
    expect(urlOf('http://example.com').href).toBe('http://example.com/');
  });

  it.each([
    ['', 'Enter the URL'],
    ['ftp://example.com/x', 'http:// or https://'],
    ['javascript:alert(1)', 'http:// or https://'],
    ['file:///etc/passwd', 'http:// or https://'],
    ['data:text/plain,hi', 'http:// or https://'],
    ['//example.com/x', 'http:// or https://'],
    ['example.com/hook', 'http:// or https://'],
    ['https://user:pass@example.com/hook', 'user name or password'],
    ['https://user@example.com/hook', 'user name or password'],
    ['https://:pw@example.com/hook', 'user name or password'],
    ['https://exa mple.com/', 'spaces or control'],
    ['https://example.com/\nHost: evil', 'spaces or control'],
    ['https://example.com/\u0000', 'spaces or control'],
    ['https://example.com\u200b/', 'spaces or control'],
    ['http://', 'not a valid URL'],
    ['https://[::1/', 'not a valid URL'],
    [`https://example.com/${'a'.repeat(2000)}`, 'at most 2,000'],
  ])('%j is refused (%s)', (input, message) => {
    expect(problemOf(input)).toContain(message);
  });
});

describe('webhookInputSchema', () => {
  it('keeps known events once, in a stable order; an event inside a chosen group is implied by it', () => {
    const parsed = webhookInputSchema.parse({
      url: 'https://example.com/h',
      events: ['member.subscribed', 'post.updated', 'post.*', 'page.deleted', 'page.deleted'],
    });
    expect(parsed.events).toEqual(['post.*', 'page.deleted', 'member.subscribed']);
    expect(parsed.description).toBe('');
  });

  it('refuses no events, unknown events and a hostile URL with a message', () => {
    expect(webhookInputSchema.safeParse({ url: 'https://example.com/h', events: [] }).error?.issues[0].message).toBe('Choose at least one event.');
    expect(webhookInputSchema.safeParse({ url: 'https://example.com/h', events: ['post.*', 'user.deleted'] }).error?.issues[0].message).toBe('Unknown event.');
    expect(webhookInputSchema.safeParse({ url: 'https://a:b@example.com/h', events: ['post.*'] }).success).toBe(false);
    expect(webhookInputSchema.safeParse({ url: 'https://example.com/h', events: ['post.*'], description: 'x'.repeat(301) }).success).toBe(false);
  });
});

describe('targetProblem: where the host points, after DNS', () => {
  const dns = (table: Record<string, string[]>) => async (host: string) => {
    if (!(host in table)) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return table[host].map((address) => ({ address }));
  };
  const resolver = dns({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    localhost: ['127.0.0.1', '::1'],
    'sneaky.example.com': ['93.184.216.34', '10.0.0.5'],
    'metadata.example.com': ['169.254.169.254'],
  });

  it('allows a host whose every address is public', async () => {
    expect(await targetProblem(urlOf('https://hooks.example.com/in'), false, resolver)).toBeNull();
    expect(await targetProblem(urlOf('https://8.8.8.8/in'), false, resolver)).toBeNull();
  });

  it.each([
    ['http://localhost:3000/hook', 'localhost resolves to 127.0.0.1 is a loopback address'],
    ['https://sneaky.example.com/', 'resolves to 10.0.0.5 is a private address'],
    ['http://metadata.example.com/latest/meta-data', 'link-local'],
    ['http://127.0.0.1:8080/', 'loopback'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback'],
    ['http://2130706433/', '127.0.0.1 is a loopback'],
    ['http://017700000001/', '127.0.0.1 is a loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', '127.0.0.1 is a loopback'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://100.64.1.1/', 'carrier-grade NAT'],
  ])('%s is refused with WEBHOOK_ALLOW_PRIVATE false (%s)', async (url, message) => {
    const problem = await targetProblem(urlOf(url), false, resolver);
    expect(problem).toContain(message);
    expect(problem).toContain('WEBHOOK_ALLOW_PRIVATE is false');
    expect(await targetProblem(urlOf(url), true, resolver)).toBeNull();
  });

  it('refuses a host that does not resolve, whatever the setting', async () => {
    expect(await targetProblem(urlOf('https://nowhere.example.com/'), false, resolver)).toBe('nowhere.example.com could not be found (DNS).');
    expect(await targetProblem(urlOf('https://nowhere.example.com/'), true, resolver)).toBe('nowhere.example.com could not be found (DNS).');
  });
});
