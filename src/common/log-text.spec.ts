import { withoutAddresses } from './log-text.js';

describe('withoutAddresses', () => {
  it('replaces the addresses SMTP replies and database errors quote', () => {
    expect(
      withoutAddresses(
        '550 5.1.1 <bob.smith@example.com>: Recipient address rejected; user x@y.it',
      ),
    ).toBe('550 5.1.1 <<address>>: Recipient address rejected; user <address>');
    expect(withoutAddresses('Key (email)=(anna+survey@sub.example.org) already exists.')).toBe(
      'Key (email)=(<address>) already exists.',
    );
  });

  it('leaves text without an address alone', () => {
    expect(withoutAddresses('421 4.7.0 try again later')).toBe('421 4.7.0 try again later');
  });
});
