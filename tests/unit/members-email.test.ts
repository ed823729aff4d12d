import { describe, expect, it } from 'vitest';
import { readMembersCsv } from '@/lib/members/csv';
import { subscribeErrorCode, subscribeErrorMessage } from '@/lib/members/form-errors';
import { EMAIL_MESSAGES, memberEmailSchema, subscribeSchema } from '@/lib/members/schemas';

const problem = (input: unknown) => {
  const result = memberEmailSchema.safeParse(input);
  return result.success ? null : result.error.issues[0].message;
};

describe('member email addresses', () => {
  it('accept one plain address, trimmed and lower-cased', () => {
    expect(memberEmailSchema.parse('  Ada.Lovelace+news@Example.COM ')).toBe('ada.lovelace+news@example.com');
    expect(memberEmailSchema.parse("o'brien@mail.example.co.uk")).toBe("o'brien@mail.example.co.uk");
  });

  it('refuse hostile input with a message that says why', () => {
    expect(problem('ada@example.com\r\nBcc: victim@example.com')).toBe(EMAIL_MESSAGES.control);
    expect(problem('ada@example.com\n')).toBe(EMAIL_MESSAGES.control);
    expect(problem('ada@exa\u0000mple.com')).toBe(EMAIL_MESSAGES.control);
    expect(problem('ada@example.com\u2028')).toBe(EMAIL_MESSAGES.control);
    expect(problem('ada@example.com, eve@example.com')).toBe(EMAIL_MESSAGES.several);
    expect(problem('ada@example.com;eve@example.com')).toBe(EMAIL_MESSAGES.several);
    expect(problem('ada@example.com eve@example.com')).toBe(EMAIL_MESSAGES.several);
    expect(problem('Ada <ada@example.com>')).toBe(EMAIL_MESSAGES.named);
    expect(problem('"eve@evil.example" <ada@example.com>')).toBe(EMAIL_MESSAGES.named);
    expect(problem('<ada@example.com>')).toBe(EMAIL_MESSAGES.named);
    expect(problem(`${'a'.repeat(250)}@example.com`)).toBe(EMAIL_MESSAGES.long);
    expect(problem(`${'a'.repeat(65)}@example.com`)).toBe(EMAIL_MESSAGES.invalid);
    expect(problem('a'.repeat(100_000))).toBe(EMAIL_MESSAGES.long);
    expect(problem('ada@localhost')).toBe(EMAIL_MESSAGES.invalid);
    expect(problem('ada@@example.com')).toBe(EMAIL_MESSAGES.invalid);
    expect(problem('ada@exam_ple.com')).toBe(EMAIL_MESSAGES.invalid);
    expect(problem('ada(comment)@example.com')).toBe(EMAIL_MESSAGES.invalid);
    expect(problem('ada@[127.0.0.1]')).toBe(EMAIL_MESSAGES.invalid);
    expect(problem('   ')).toBe(EMAIL_MESSAGES.missing);
    expect(problem(undefined)).toBe(EMAIL_MESSAGES.missing);
    expect(problem(['ada@example.com'])).toBe(EMAIL_MESSAGES.missing);
  });

  it('name: optional, one line, at most 100 characters', () => {
    expect(subscribeSchema.parse({ email: 'a@example.com' })).toEqual({ email: 'a@example.com', name: '' });
    expect(subscribeSchema.parse({ email: 'a@example.com', name: ' Ada ' }).name).toBe('Ada');
    expect(subscribeSchema.safeParse({ email: 'a@example.com', name: 'Ada\r\nBcc: x' }).success).toBe(false);
    expect(subscribeSchema.safeParse({ email: 'a@example.com', name: 'x'.repeat(101) }).success).toBe(false);
  });

  it('the form page shows only messages of its own list, by code', () => {
    expect(subscribeErrorCode(EMAIL_MESSAGES.several, 'email')).toBe('several');
    expect(subscribeErrorMessage('several')).toBe(EMAIL_MESSAGES.several);
    expect(subscribeErrorMessage('Your account is suspended')).toBeNull();
    expect(subscribeErrorMessage('constructor')).toBeNull();
    expect(subscribeErrorMessage(undefined)).toBeNull();
  });
});

describe('the members CSV', () => {
  const now = Date.UTC(2026, 0, 1);
  it('reads email,name,consent_at[,status] with or without a header', () => {
    const { rows, problems } = readMembersCsv(
      'email,name,consent_at,status\r\nAda@Example.com,Ada,2024-01-25,\nbob@example.com,,,\ncy@example.com,"Cy, Jr",2025-03-01T10:00:00Z,unsubscribed\n',
      now,
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, email: 'ada@example.com', name: 'Ada', status: 'subscribed', consentAt: new Date('2024-01-25T00:00:00Z') },
      { line: 3, email: 'bob@example.com', name: '', status: 'pending', consentAt: null },
      { line: 4, email: 'cy@example.com', name: 'Cy, Jr', status: 'unsubscribed', consentAt: new Date('2025-03-01T10:00:00Z') },
    ]);
  });

  it('names every bad line', () => {
    const { problems } = readMembersCsv(
      'ok@example.com,,2024-01-01\nnot-an-address,,\nx@example.com,,25/01/2024\ny@example.com,,2999-01-01\nz@example.com,,,subscribed\nw@example.com,,,vip\nOK@example.com,,\n',
      now,
    );
    expect(problems).toEqual([
      `Line 2: ${EMAIL_MESSAGES.invalid}`,
      'Line 3: the consent date "25/01/2024" is not a date like 2024-01-25 or 2024-01-25T10:00:00Z.',
      'Line 4: the consent date is in the future.',
      'Line 5: a subscribed member needs the date they agreed (consent_at); leave the status empty to send them a confirmation mail instead.',
      'Line 6: the status "vip" is not pending, subscribed, unsubscribed or bounced.',
      'Line 7: this address is already on line 1.',
    ]);
    expect(readMembersCsv('email,name\n', now).problems).toEqual(['The file has no members in it.']);
    expect(readMembersCsv('"open,,\n', now).problems[0]).toMatch(/^Line 1: a quoted field is never closed/);
  });
});
