/** Header values from our data, addresses, and how SMTP failures are classed. */
import { describe, expect, it } from 'vitest';
import { fromAddress, headerText, isSendableAddress, newsletterListId, newsletterMessageId } from '@/lib/mail/headers';
import { isPermanentMailError, mailErrorMessage } from '@/lib/mail/transport';

describe('headers', () => {
  it('headerText: no control character survives, so no value can start a header', () => {
    expect(headerText('Hi\r\nBcc: evil@x')).toBe('Hi Bcc: evil@x');
    expect(headerText('a\rb\nc\td\u0000e\u0085f\u2028g')).toBe('a b c d e f g');
    expect(headerText('  Ünïcode — fine  ')).toBe('Ünïcode — fine');
  });

  it('isSendableAddress: one plain mailbox only', () => {
    expect(isSendableAddress('reader@example.com')).toBe(true);
    expect(isSendableAddress('first.last+tag@mail.example.co.uk')).toBe(true);
    for (const bad of [
      'a@b',
      'no-at.example.com',
      'a b@example.com',
      'a@example.com\r\nBcc: x@y.z',
      'a@example.com,b@example.com',
      '"x"@example.com',
      'a@-example.com',
      '<a@example.com>',
    ]) {
      expect(isSendableAddress(bad), bad).toBe(false);
    }
  });

  it('Message-ID is the same for the same post and member; List-Id names the site', () => {
    expect(newsletterMessageId('p', 'm', 'news.example.com')).toBe('<newsletter.p.m@news.example.com>');
    expect(newsletterListId('news.example.com')).toBe('<newsletter.news.example.com>');
  });

  it('From: MAIL_FROM as given (cleaned), else the site title and noreply@host', () => {
    expect(fromAddress('News <news@example.com>', 'x', 'h')).toBe('News <news@example.com>');
    expect(fromAddress(undefined, 'The\r\nBroadsheet', 'news.example.com')).toEqual({ name: 'The Broadsheet', address: 'noreply@news.example.com' });
  });
});

describe('SMTP failures', () => {
  it('5xx replies are permanent; 4xx and connection trouble are temporary', () => {
    expect(isPermanentMailError({ responseCode: 550, response: '550 No such user' })).toBe(true);
    expect(isPermanentMailError({ responseCode: 451, response: '451 Try later' })).toBe(false);
    expect(isPermanentMailError({ code: 'ECONNECTION' })).toBe(false);
    expect(isPermanentMailError({ code: 'ETIMEDOUT' })).toBe(false);
    expect(isPermanentMailError(new Error('socket hang up'))).toBe(false);
  });

  it('the reason kept is one line: the server reply, else the message', () => {
    expect(mailErrorMessage({ response: '550 5.1.1 No\r\nsuch user', message: 'x' })).toBe('550 5.1.1 No such user');
    expect(mailErrorMessage(new Error('Connection refused'))).toBe('Connection refused');
  });
});
