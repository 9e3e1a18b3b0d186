import {
  checkAudience,
  checkEmail,
  checkLanguage,
  checkName,
  checkUnitCode,
  echo,
} from './organisation.rules.js';

describe('organisation rules', () => {
  it('trims unit codes and accepts only [A-Za-z0-9_.-]{1,64}', () => {
    expect(checkUnitCode('  B-01.x_y ')).toEqual({ ok: true, value: 'B-01.x_y' });
    for (const bad of [
      '',
      '   ',
      'a b',
      'é',
      'x'.repeat(65),
      'a/b',
      '<b>',
      42,
      null,
      undefined,
      'a\u0000',
    ])
      expect(checkUnitCode(bad).ok).toBe(false);
    expect(checkUnitCode('x'.repeat(64)).ok).toBe(true);
  });

  it('checks names: trimmed, one line, 1–200 code points, no NUL or lone surrogate', () => {
    expect(checkName(' Milan ')).toEqual({ ok: true, value: 'Milan' });
    expect(checkName('👩🏽‍💻 team').ok).toBe(true);
    for (const bad of ['', ' ', 'a\nb', 'a\rb', 'a\u0000', '\uD800', 'x'.repeat(201)])
      expect(checkName(bad).ok).toBe(false);
    expect(checkName('x'.repeat(200)).ok).toBe(true);
  });

  it('normalises e-mail (trim, NFC, lower-case) and validates it', () => {
    expect(checkEmail('  Ada@Example.COM ')).toEqual({ ok: true, value: 'ada@example.com' });
    expect(checkEmail('Jose\u0301@example.com')).toEqual({
      ok: true,
      value: 'jos\u00e9@example.com',
    });
    for (const bad of ['', 'ada', 'a@b', 'a b@c.de', '<script>@x.io', 'a@b.c\u0000'])
      expect(checkEmail(bad).ok).toBe(false);
  });

  it('accepts audience and language in any case; empty language means en', () => {
    expect(checkAudience(' External ')).toEqual({ ok: true, value: 'external' });
    expect(checkAudience('buyer').ok).toBe(false);
    expect(checkLanguage('')).toEqual({ ok: true, value: 'en' });
    expect(checkLanguage(undefined)).toEqual({ ok: true, value: 'en' });
    expect(checkLanguage('IT')).toEqual({ ok: true, value: 'it' });
    expect(checkLanguage('fr').ok).toBe(false);
  });

  it('echoes user input quoted and truncated', () => {
    expect(echo('<b>')).toBe('"<b>"');
    expect(echo('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}…"`);
  });
});
