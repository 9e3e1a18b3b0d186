/** The logo formats accepted: raster images a browser and a mail client show without scripts. */
export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

export const LOGO_MAX_BYTES = 200 * 1024;

export type LogoProblem = 'empty' | 'tooLarge' | 'notAnImage';

/**
 * The image type of `bytes` by their magic bytes (the file name and the browser's content type
 * are not trusted); null for anything else, SVG included (it can carry script).
 */
export function detectLogoType(bytes: Buffer): LogoType | null {
  const starts = (sig: number[], at = 0) =>
    bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/** Why `bytes` cannot be the logo, or null when they can. */
export function logoProblem(bytes: Buffer): LogoProblem | null {
  if (!bytes.length) return 'empty';
  if (bytes.length > LOGO_MAX_BYTES) return 'tooLarge';
  return detectLogoType(bytes) ? null : 'notAnImage';
}
