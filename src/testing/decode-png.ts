import { inflateSync } from 'node:zlib';

/** A decoded PNG: its size and its pixels as RGBA, row by row. */
export interface DecodedPng {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are) with Node's zlib, so tests
 * look at the pixels of a drawing instead of trusting that a file exists. Throws on anything else.
 */
export function decodePng(data: Uint8Array): DecodedPng {
  const bytes = Buffer.from(data);
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG: the signature is missing');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, color, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0 || (color !== 2 && color !== 6)) throw new Error(`unsupported PNG (bit depth ${depth}, colour type ${color}, interlace ${interlace})`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rgba = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = previous[x]!;
      const c = x >= channels ? previous[x - channels]! : 0;
      const v = line[x]!;
      out[x] = (filter === 0 ? v : filter === 1 ? v + a : filter === 2 ? v + b : filter === 3 ? v + ((a + b) >> 1) : v + paeth(a, b, c)) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      rgba.set([out[x * channels]!, out[x * channels + 1]!, out[x * channels + 2]!, channels === 4 ? out[x * channels + 3]! : 255], (y * width + x) * 4);
    }
    previous = out;
  }
  return { width, height, rgba };
}

/** How much of a picture is drawn: the share of pixels that differ from its top-left pixel (the background). */
export function drawnShare(png: DecodedPng): number {
  const [r, g, b] = [png.rgba[0], png.rgba[1], png.rgba[2]];
  let drawn = 0;
  for (let i = 0; i < png.rgba.length; i += 4) if (png.rgba[i] !== r || png.rgba[i + 1] !== g || png.rgba[i + 2] !== b) drawn++;
  return drawn / (png.width * png.height);
}
