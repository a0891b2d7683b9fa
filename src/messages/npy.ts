/**
 * Error texts of the NumPy `.npy` reader and writer (`src/io/npy.ts`). Each names the file and the field of the
 * format at fault: `magic`, `version`, `header`, `descr`, `fortran_order`, `shape` or `data`.
 * Re-exported by the main catalogue `src/messages/index.ts`.
 */

/** The dtypes the reader accepts, as they appear in a header's `descr`. */
const accepted = `'<f4', '<f8', '>f4' or '>f8' (float32 or float64, either byte order)`;

export const npyMessages = {
  badMagic: (file: string) => `${file}: magic: not a NumPy .npy file (it does not start with the bytes \\x93NUMPY)`,
  truncatedPreamble: (file: string, needed: number, got: number) =>
    `${file}: header: the file ends inside the header (the header needs ${needed} bytes, the file has ${got})`,
  headerTooLong: (file: string, length: number, limit: number) =>
    `${file}: header: claims ${length} bytes, more than the ${limit} bytes a .npy header may have here`,
  unsupportedVersion: (file: string, major: number, minor: number) =>
    `${file}: version: .npy format version ${major}.${minor} is not supported (supported: 1.0, 2.0, 3.0)`,
  headerNotUtf8: (file: string) => `${file}: header: a version 3.0 header must be UTF-8 text, and this one is not`,
  headerNotParseable: (file: string, reason: string) =>
    `${file}: header: cannot parse the header dictionary (${reason})`,
  headerNotDict: (file: string, got: string) => `${file}: header: expected a dictionary, got ${got}`,
  headerMissingKey: (file: string, key: string) => `${file}: ${key}: required key is missing from the header`,
  headerUnknownKey: (file: string, key: string) =>
    `${file}: header: unexpected key '${key}' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')`,
  unsupportedDtype: (file: string, got: string) =>
    `${file}: descr: dtype ${got} is not supported (expected ${accepted})`,
  fortranOrder: (file: string) =>
    `${file}: fortran_order: True is not supported (only C order; save np.ascontiguousarray(a) instead)`,
  badFortranOrder: (file: string, got: string) => `${file}: fortran_order: expected True or False, got ${got}`,
  badShape: (file: string, got: string) => `${file}: shape: expected a tuple of integers >= 0, got ${got}`,
  truncatedData: (file: string, shape: string, dtype: string, needed: number, got: number) =>
    `${file}: data: truncated: shape ${shape} of '${dtype}' needs ${needed} bytes after the header, the file has ${got}`,
  trailingData: (file: string, shape: string, dtype: string, needed: number, got: number) =>
    `${file}: data: ${got - needed} unexpected bytes after the array (shape ${shape} of '${dtype}' needs ${needed} bytes, the file has ${got})`,

  // --- writer (programming errors: the caller passed inconsistent arguments) ----------------------
  writeBadShape: (shape: readonly number[]) =>
    `writeNpy: shape [${shape.join(', ')}] must be a list of integers >= 0`,
  writeLengthMismatch: (shape: readonly number[], expected: number, got: number) =>
    `writeNpy: shape [${shape.join(', ')}] holds ${expected} numbers, but ${got} were given`,
  writeBadOption: (option: string, got: unknown, expected: string) =>
    `writeNpy: ${option}: expected ${expected}, got ${JSON.stringify(got)}`,
  writeHeaderTooLong: (length: number, version: number) =>
    `writeNpy: header of ${length} bytes does not fit format version ${version}.0 (use version 2 or 3)`,
} as const;
