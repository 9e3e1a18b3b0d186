import {
  cleanSubject,
  composeMail,
  listUnsubscribeHeaders,
  mailAddress,
  defaultMailText,
  mailLanguage,
  type MailInput,
  mailTextProblems,
  SUBJECT_MAX,
  surveyLinkIn,
} from './mail-templates.js';

const TOKEN = 'A'.repeat(43);
const OTHER = 'B'.repeat(43);

const input = (o: Partial<MailInput> = {}): MailInput => ({
  kind: 'invitation',
  language: 'en',
  campaignName: 'Internal service 2026-Q1',
  anonymous: true,
  closesAt: null,
  contactName: 'Ada',
  surveyUrl: `https://survey.example/s/${TOKEN}`,
  unsubscribeUrl: `https://survey.example/unsubscribe/${TOKEN}`,
  ...o,
});

describe('mailLanguage', () => {
  it('uses the contact language when the campaign offers it', () => {
    expect(mailLanguage('it', 'en,it')).toBe('it');
    expect(mailLanguage('en', 'it,en')).toBe('en');
  });

  it("falls back to the campaign's first language", () => {
    expect(mailLanguage('it', 'en')).toBe('en');
    expect(mailLanguage('en', 'it')).toBe('it');
    expect(mailLanguage('de', 'it,en')).toBe('it');
    expect(mailLanguage('en', '')).toBe('en');
  });
});

describe('mailAddress', () => {
  it('takes the address of MAIL_FROM, with or without a display name', () => {
    expect(mailAddress('Specchio <no-reply@specchio.local>')).toBe('no-reply@specchio.local');
    expect(mailAddress('"A, B" <a@b.example> ')).toBe('a@b.example');
    expect(mailAddress(' survey@example.com ')).toBe('survey@example.com');
  });
});

describe('cleanSubject', () => {
  it('removes CR, LF and other control characters (no header injection)', () => {
    expect(cleanSubject('Survey\r\nBcc: victim@example.com', 'x')).toBe(
      'Survey Bcc: victim@example.com',
    );
    expect(cleanSubject('a\u0000b\tc\u2028d', 'x')).toBe('a b c d');
    expect(cleanSubject('\u202eevil', 'x')).toBe('evil');
  });

  it(`keeps at most ${SUBJECT_MAX} code points without splitting an emoji`, () => {
    const subject = cleanSubject('😀'.repeat(400), 'x');
    expect([...subject]).toHaveLength(SUBJECT_MAX);
    expect(subject.isWellFormed()).toBe(true);
  });

  it('uses the fallback for an empty subject', () => {
    expect(cleanSubject(' \r\n ', 'Survey')).toBe('Survey');
  });
});

describe('composeMail', () => {
  it('writes an English invitation with link, anonymity note and unsubscribe link', () => {
    const mail = composeMail(input({ closesAt: '2099-03-31T23:59:59Z' }));
    expect(mail.subject).toBe('Internal service 2026-Q1');
    expect(mail.text).toContain('Hello Ada,');
    expect(mail.text).toContain(`https://survey.example/s/${TOKEN}`);
    expect(mail.text).toContain('Your answers are anonymous');
    expect(mail.text).toContain('31 March 2099');
    expect(mail.text.trimEnd().endsWith(`https://survey.example/unsubscribe/${TOKEN}`)).toBe(true);
    expect(mail.html).toContain(
      `<a href="https://survey.example/s/${TOKEN}">https://survey.example/s/${TOKEN}</a>`,
    );
    expect(mail.text).not.toMatch(/\n{3,}/);
    expect(mail.html).toContain(
      `<a href="https://survey.example/unsubscribe/${TOKEN}">Unsubscribe</a>`,
    );
    expect(mail.html).toContain('<html lang="en">');
  });

  it('writes an Italian reminder for an identified campaign', () => {
    const mail = composeMail(
      input({ kind: 'reminder', language: 'it', anonymous: false, contactName: null }),
    );
    expect(mail.subject).toBe('Promemoria: Internal service 2026-Q1');
    expect(mail.text).toContain('Gentile destinatario,');
    expect(mail.text).toContain('Un breve promemoria');
    expect(mail.text).toContain('collegate ai suoi dati di contatto');
    expect(mail.html).toContain('Annulla iscrizione');
  });

  it('escapes user text in the HTML part and keeps it literal in the text part', () => {
    const mail = composeMail(
      input({
        campaignName: '<script>alert(1)</script> & "co"',
        contactName: '<img src=x onerror=alert(1)>',
      }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;');
    expect(mail.text).toContain('<script>alert(1)</script> & "co"');
    expect(mail.subject).toBe('<script>alert(1)</script> & "co"');
  });

  it('keeps line breaks in names and campaign names out of the message structure', () => {
    const mail = composeMail(
      input({
        campaignName: `x\nhttps://evil.example/unsubscribe/${OTHER}`,
        contactName: `Eve\r\nhttps://evil.example/s/${OTHER}`,
      }),
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(listUnsubscribeHeaders(mail.text)['List-Unsubscribe']).toBe(
      `<https://survey.example/api/unsubscribe/${TOKEN}>`,
    );
    expect(surveyLinkIn(mail.text)).toBe(`https://survey.example/s/${TOKEN}`);
  });
});

describe("a campaign's own text", () => {
  const own = {
    subject: '{organisation}: {campaign}',
    body: 'Dear {name},\n\nplease answer <b>now</b>:\n{link}\n\n{closes}\n\nRegards,\n{organisation}',
  };

  it('fills the placeholders, keeps the anonymity note and the unsubscribe line last', () => {
    const mail = composeMail(
      input({ text: own, organisationName: 'Acme & Co', closesAt: null, contactName: 'Ada' }),
    );
    expect(mail.subject).toBe('Acme & Co: Internal service 2026-Q1');
    expect(mail.text).toContain(
      `Dear Ada,\n\nplease answer <b>now</b>:\nhttps://survey.example/s/${TOKEN}\n\nRegards,\nAcme & Co`,
    );
    expect(mail.text).toContain('Your answers are anonymous');
    expect(listUnsubscribeHeaders(mail.text)['List-Unsubscribe']).toBe(
      `<https://survey.example/api/unsubscribe/${TOKEN}>`,
    );
    // The HTML part escapes what the admin wrote and links only the survey link.
    expect(mail.html).toContain('please answer &lt;b&gt;now&lt;/b&gt;:<br>');
    expect(mail.html).toContain(`<a href="https://survey.example/s/${TOKEN}">`);
    expect(mail.html).toContain('Regards,<br>\nAcme &amp; Co');
  });

  it('shows the logo with the organisation name as its alternative text', () => {
    const mail = composeMail(
      input({ organisationName: 'Acme', logoUrl: 'https://survey.example/brand/logo?v=1' }),
    );
    expect(mail.html).toContain('<img src="https://survey.example/brand/logo?v&#x3D;1" alt="Acme"');
    expect(mail.text).toContain('Thank you for your time.\nAcme\n');
    expect(composeMail(input()).html).not.toContain('<img');
  });

  it('accepts the built-in texts and refuses unknown placeholders or a body without the link', () => {
    for (const language of ['en', 'it'] as const)
      for (const kind of ['invitation', 'reminder'] as const)
        expect(mailTextProblems(defaultMailText(language, kind))).toEqual([]);
    expect(mailTextProblems({ subject: 'Hi {link}', body: 'No link, {nome}' })).toEqual([
      { part: 'subject', problem: 'unknownPlaceholder', placeholder: 'link' },
      { part: 'body', problem: 'unknownPlaceholder', placeholder: 'nome' },
      { part: 'body', problem: 'linkMissing', placeholder: 'link' },
    ]);
    expect(mailTextProblems({ subject: ' ', body: '' })).toEqual([
      { part: 'subject', problem: 'empty' },
      { part: 'body', problem: 'empty' },
    ]);
  });
});

describe('listUnsubscribeHeaders', () => {
  it('builds the RFC 8058 pair from the last line of the text part', () => {
    const text = composeMail(input()).text;
    expect(listUnsubscribeHeaders(text)).toEqual({
      'List-Unsubscribe': `<https://survey.example/api/unsubscribe/${TOKEN}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('adds nothing when the text has no unsubscribe line at its end', () => {
    expect(listUnsubscribeHeaders(null)).toEqual({});
    expect(listUnsubscribeHeaders(`https://x.example/unsubscribe/${TOKEN}\nthanks`)).toEqual({});
  });
});
