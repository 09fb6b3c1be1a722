import { strToU8, zipSync, type Zippable } from 'fflate';

/**
 * ZIP packaging (fflate). Images are stored as they are (JPEG and PNG are compressed already;
 * deflating them again costs time and saves nothing); text files are deflated.
 */
export interface PackageFile {
  path: string;
  data: Uint8Array | string;
}

/** Builds the archive. `mtime` is written for every entry (ZIP keeps local time, 2 s precision). */
export function zipPackage(files: readonly PackageFile[], mtime: Date = new Date()): Uint8Array {
  const tree: Zippable = {};
  for (const f of files) {
    if (Object.prototype.hasOwnProperty.call(tree, f.path))
      throw new Error(`duplicate path in package: ${f.path}`);
    const stored = /\.(jpe?g|png)$/i.test(f.path);
    const data = typeof f.data === 'string' ? strToU8(f.data) : f.data;
    tree[f.path] = [data, { level: stored ? 0 : 6, mtime }];
  }
  return zipSync(tree);
}
