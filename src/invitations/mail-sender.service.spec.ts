import { classifySmtpError, cleanError, LAST_ERROR_MAX } from './mail-sender.service.js';

const smtpError = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it('bounces a recipient refused with a 5xx', () => {
    const outcome = classifySmtpError(
      smtpError("Can't send mail - all recipients were rejected: 550 No such user", {
        code: 'EENVELOPE',
        responseCode: 550,
      }),
    );
    expect(outcome).toEqual({
      kind: 'permanent',
      bounced: true,
      error: expect.stringContaining('550 No such user'),
    });
  });

  it('fails a message refused with a 5xx without bouncing the recipient', () => {
    expect(
      classifySmtpError(
        smtpError('Message failed: 554 rejected', { code: 'EMESSAGE', responseCode: 554 }),
      ),
    ).toMatchObject({
      kind: 'permanent',
      bounced: false,
    });
  });

  it('retries 4xx answers, connection errors and authentication trouble', () => {
    expect(
      classifySmtpError(smtpError('451 Try later', { code: 'EENVELOPE', responseCode: 451 })).kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('connect ECONNREFUSED 127.0.0.1:25', { code: 'ESOCKET' })).kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('Greeting never received', { code: 'ETIMEDOUT' })).kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('Invalid login: 535 bad', { code: 'EAUTH', responseCode: 535 }))
        .kind,
    ).toBe('transient');
    expect(classifySmtpError('weird').kind).toBe('transient');
  });
});

describe('cleanError', () => {
  it('keeps one line of at most 500 characters', () => {
    const text = cleanError(new Error(`first\r\nsecond ${'no '.repeat(400)}`));
    expect(text).not.toMatch(/[\r\n]/);
    expect(text.length).toBe(LAST_ERROR_MAX);
  });

  it('hides credentials in URLs and link tokens', () => {
    const text = cleanError(
      new Error(`failed smtp://user:s3cret@mail.example:587 for /s/${'A'.repeat(43)}`),
    );
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('A'.repeat(43));
    expect(text).toContain('smtp://***@mail.example:587');
  });
});
