/**
 * The `application/x-www-form-urlencoded` body parser (issue 10: no request holds the event loop
 * for more than ~50 ms). Small forms are parsed at once by `fast-querystring`, as Nest's default
 * parser does; a large one (a CSV pasted into an import page: up to 16 MiB) is decoded in slices
 * that yield to the event loop (`TimeSlice`), where `fast-querystring` held it for 110–160 ms per
 * 4.3 MB. Both give an object without a prototype, repeated names as arrays, `+` as a space and
 * refuse a `__proto__` name (400, as a JSON body with one).
 */
import { BadRequestException } from '@nestjs/common';
import { parse as parseQuery } from 'fast-querystring';
import { TimeSlice } from './time-slice.js';

/** Bodies up to this size are parsed at once. */
export const FORM_SLICE_THRESHOLD = 256 * 1024;

export type FormBody = Record<string, string | string[]>;

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** `buf[from, to)` percent-decoded as UTF-8 (`+` is a space; a malformed escape stays as it is). */
async function decode(buf: Buffer, from: number, to: number, slice: TimeSlice): Promise<string> {
  const out = Buffer.allocUnsafe(to - from);
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === PLUS) {
      out[n++] = 0x20;
    } else if (c === PERCENT && i + 2 < to) {
      const hi = hexValue(buf[i + 1]);
      const lo = hexValue(buf[i + 2]);
      if (hi < 0 || lo < 0) out[n++] = c;
      else {
        out[n++] = hi * 16 + lo;
        i += 2;
      }
    } else {
      out[n++] = c;
    }
    if ((i & 0x3fff) === 0) await slice.breathe();
  }
  return out.toString('utf8', 0, n);
}

function refuseProto(body: FormBody): FormBody {
  if (Object.hasOwn(body, '__proto__'))
    throw new BadRequestException('Object contains forbidden prototype property');
  return body;
}

/** Parses a form body; large ones in slices that let other requests run. */
export async function parseFormBody(body: Buffer): Promise<FormBody> {
  if (body.length <= FORM_SLICE_THRESHOLD)
    return refuseProto(parseQuery(body.toString()) as FormBody);
  const slice = new TimeSlice();
  const out: FormBody = Object.create(null) as FormBody;
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(AMPERSAND, start);
    if (end === -1) end = body.length;
    if (end > start) {
      let eq = body.indexOf(EQUALS, start);
      if (eq === -1 || eq > end) eq = end;
      const name = await decode(body, start, eq, slice);
      const value = eq < end ? await decode(body, eq + 1, end, slice) : '';
      const known = out[name];
      if (known === undefined) out[name] = value;
      else if (Array.isArray(known)) known.push(value);
      else out[name] = [known, value];
    }
    start = end + 1;
    await slice.breathe();
  }
  return refuseProto(out);
}
