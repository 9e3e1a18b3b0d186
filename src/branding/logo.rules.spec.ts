import { detectLogoType, LOGO_MAX_BYTES, logoProblem } from './logo.rules.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([1, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
]);

describe('logo rules', () => {
  it('recognises PNG, JPEG and WebP by their magic bytes', () => {
    expect(detectLogoType(PNG)).toBe('image/png');
    expect(detectLogoType(JPEG)).toBe('image/jpeg');
    expect(detectLogoType(WEBP)).toBe('image/webp');
  });

  it('refuses SVG, GIF, text and a PNG signature cut short', () => {
    expect(
      logoProblem(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')),
    ).toBe('notAnImage');
    expect(logoProblem(Buffer.from('GIF89a'))).toBe('notAnImage');
    expect(logoProblem(PNG.subarray(0, 7))).toBe('notAnImage');
    expect(logoProblem(Buffer.from('RIFF\u0001\u0000\u0000\u0000WAVE'))).toBe('notAnImage');
  });

  it(`refuses an empty file and one over ${LOGO_MAX_BYTES} bytes`, () => {
    expect(logoProblem(Buffer.alloc(0))).toBe('empty');
    const big = Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES - PNG.length + 1)]);
    expect(logoProblem(big)).toBe('tooLarge');
    expect(logoProblem(big.subarray(0, LOGO_MAX_BYTES))).toBeNull();
  });
});
