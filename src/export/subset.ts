import decompressWoff2 from 'woff2-encoder/decompress';
import subsetWasmUrl from 'harfbuzzjs/dist/harfbuzz-subset.wasm?url';
import { REFERENCE_LETTERS } from './fonts.ts';

/**
 * Font subsetting for the export worker (`worker.ts`): a shipped face (woff2) cut down to the
 * characters an export draws, as a TrueType font without hinting (src/export/README.md, "Speed").
 *
 * The woff2 is decompressed by Google's woff2 decoder (`woff2-encoder`, WebAssembly) and subset by
 * HarfBuzz's `hb-subset` (`harfbuzzjs`' harfbuzz-subset.wasm, its C API called directly).
 *
 * Why it draws the same pixels: Chromium on Linux renders with FreeType's light hinting, which for
 * these fonts uses FreeType's auto-hinter whether or not the font carries TrueType instructions
 * (dropping them changes nothing) — but the auto-hinter measures its alignment zones on standard
 * letters of each script (o, x, H, О, Н, …). A subset without them is hinted differently, so every
 * subset keeps the basic Latin and Russian letters and the digits (`REFERENCE_LETTERS`, fonts.ts),
 * whatever the text. tests/e2e/export-large.test.ts compares the images with those of the full fonts.
 */

interface HarfBuzzSubset {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
  _initialize?: () => void;
}

/** `HB_MEMORY_MODE_WRITABLE`: HarfBuzz uses the bytes in place (freed by us afterwards). */
const MEMORY_MODE_WRITABLE = 2;
/** `HB_SUBSET_FLAGS_NO_HINTING`: see the comment at the top. */
const NO_HINTING = 0x1;

let harfbuzz: Promise<HarfBuzzSubset> | undefined;

function loadHarfBuzz(): Promise<HarfBuzzSubset> {
  harfbuzz ??= (async () => {
    const res = await fetch(subsetWasmUrl);
    if (!res.ok) throw new Error(`harfbuzz-subset.wasm: HTTP ${res.status}`);
    const { instance } = await WebAssembly.instantiate(await res.arrayBuffer());
    const hb = instance.exports as unknown as HarfBuzzSubset;
    hb._initialize?.();
    return hb;
  })();
  // A failed load (offline before the file was ever cached) may succeed at the next export.
  harfbuzz.catch(() => (harfbuzz = undefined));
  return harfbuzz;
}

/**
 * Compiles HarfBuzz and the woff2 decoder ahead of the first subset (the worker calls it when it
 * starts; the first slide of an export is laid out meanwhile).
 */
export function preloadSubsetter(): void {
  loadHarfBuzz().catch(() => {});
  decompressWoff2(new Uint8Array(0)).catch(() => {});
}

/** The face `woff2` reduced to `codepoints` (and the reference letters): TrueType bytes. */
export async function subsetFont(
  woff2: Uint8Array,
  codepoints: Iterable<number>,
): Promise<Uint8Array> {
  const [hb, sfnt] = await Promise.all([loadHarfBuzz(), decompressWoff2(woff2)]);
  const ptr = hb.malloc(sfnt.byteLength);
  if (!ptr) throw new Error('hb-subset: out of memory');
  new Uint8Array(hb.memory.buffer).set(sfnt, ptr);
  const blob = hb.hb_blob_create(ptr, sfnt.byteLength, MEMORY_MODE_WRITABLE, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  const input = hb.hb_subset_input_create_or_fail();
  try {
    if (!input) throw new Error('hb-subset: no input');
    const set = hb.hb_subset_input_unicode_set(input);
    for (const c of codepoints) hb.hb_set_add(set, c);
    for (const [lo, hi] of REFERENCE_LETTERS) for (let c = lo; c <= hi; c++) hb.hb_set_add(set, c);
    hb.hb_subset_input_set_flags(input, hb.hb_subset_input_get_flags(input) | NO_HINTING);
    const subset = hb.hb_subset_or_fail(face, input);
    if (!subset) throw new Error('hb-subset: the face could not be subset');
    const out = hb.hb_face_reference_blob(subset);
    const data = hb.hb_blob_get_data(out, 0);
    const length = hb.hb_blob_get_length(out);
    // Copied out before anything else can grow (and so move) the WebAssembly memory.
    const bytes = new Uint8Array(hb.memory.buffer).slice(data, data + length);
    hb.hb_blob_destroy(out);
    hb.hb_face_destroy(subset);
    if (length === 0) throw new Error('hb-subset: empty face');
    return bytes;
  } finally {
    if (input) hb.hb_subset_input_destroy(input);
    hb.hb_face_destroy(face);
    hb.free(ptr);
  }
}
