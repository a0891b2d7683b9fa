/**
 * Your own hidden states: imports the representations `h(x, y_<k)` of a real model, dumped from Python, into a
 * problem (docs/formats.md), validated by the same code as problem files (`parseProblem`).
 *
 * ## Layout
 *
 * An *index* file (JSON, UTF-8) lists the prefixes; row `i` of a NumPy matrix `hidden.npy` of shape `(rows, D)`,
 * float32 or float64, C order, is `h` of `prefixes[i]`:
 *
 * ```json
 * {
 *   "format": "imrm-hidden-index/1",
 *   "vocabSize": 50257, "beta": 0.1, "reference": "init",
 *   "hiddenFile": "hidden.npy",
 *   "prefixes": [ { "prompt": 0, "prefix": [] }, { "prompt": 0, "prefix": [3363] }, { "prompt": 0, "prefix": [1400] } ],
 *   "train": [ { "prompt": 0, "chosen": [3363], "rejected": [1400] } ],
 *   "eval": { "paraphrase": [ … ] }
 * }
 * ```
 *
 * - `format`, `vocabSize`, `beta`, `reference`, `prefixes`, `train` are required; `eval`, `init`, `hiddenFile` optional.
 * - `hiddenFile`: path of the matrix, relative to the index file's folder and inside it. @default "hidden.npy"
 * - `prefixes[i]`: `{prompt, prefix}`, one per prefix `(x, y_<k)`, `k = 1 … L+1`, of every response in `train` and
 *   `eval` (the empty prefix is the prompt alone, the full response the whole sequence); extra rows are allowed
 *   and unused. Prompts are integer ids you assign; responses are the model's token ids.
 * - All-JSON variant: every prefix carries its vector inline, `{"prompt", "prefix", "h": [...]}`, and there is no
 *   `hiddenFile` (nor any `.npy`).
 * - `init` (optional): `{"U": …, "u": …}`, each either inline (as in a problem file) or the name of a `.npy` file
 *   (relative to the index, inside its folder) of shape `(vocabSize, D)` for `U`, `(D,)` for `u`. With the model's own unembedding as
 *   `U` and `reference: "init"`, `π_ref` is the model's next-token distribution on these hidden states.
 * - `pairs`, `eval` sets, `beta`, `reference`: exactly as in a problem file.
 *
 * Every defect is an `InputError` naming the file, the entry and the field: a matrix that is not 2-D, a row count
 * that differs from the number of prefixes, a non-finite value (with its row, column and prefix), a duplicate or
 * missing prefix, a token outside `[0, vocabSize)`, inline and file vectors mixed.
 *
 * ## Dumping hidden states with PyTorch
 *
 * The representation that predicts token `y_k` is the last layer's output at the last position of `(x, y_<k)`;
 * the whole sequence's is at its last token. For a Hugging Face causal LM (`hidden_states[-1]` is after the final
 * norm, i.e. what the unembedding multiplies):
 *
 * ```python
 * import json, numpy as np, torch
 * from transformers import AutoModelForCausalLM, AutoTokenizer
 * tok = AutoTokenizer.from_pretrained(NAME)
 * model = AutoModelForCausalLM.from_pretrained(NAME, torch_dtype=torch.float32).eval()
 * ids = lambda s: tok(s, add_special_tokens=False).input_ids                  # responses: no BOS
 * prompts = ["Is the sky blue? Answer:", "Is grass red? Answer:"]              # prompt id = index here
 * train = [{"prompt": 0, "chosen": ids(" Yes"), "rejected": ids(" No")},
 *          {"prompt": 1, "chosen": ids(" No"),  "rejected": ids(" Yes")}]
 * evals = {"paraphrase": [{"prompt": 0, "chosen": ids(" Indeed"), "rejected": ids(" Nope")}]}
 * prefixes, rows, seen = [], [], set()
 * with torch.no_grad():
 *     for pair in train + [p for s in evals.values() for p in s]:
 *         x = tok(prompts[pair["prompt"]]).input_ids
 *         for y in (pair["chosen"], pair["rejected"]):
 *             h = model(torch.tensor([x + y]), output_hidden_states=True).hidden_states[-1][0]  # (len(x+y), D)
 *             for k in range(len(y) + 1):                    # prefix y[:k]: its last position is len(x) + k - 1
 *                 key = (pair["prompt"], tuple(y[:k]))
 *                 if key not in seen:
 *                     seen.add(key)
 *                     prefixes.append({"prompt": pair["prompt"], "prefix": y[:k]})
 *                     rows.append(h[len(x) + k - 1].numpy())
 * np.save("hidden.npy", np.stack(rows).astype(np.float32))                  # shape (rows, D)
 * np.save("unembedding.npy", model.get_output_embeddings().weight.detach().numpy())   # optional, (V, D)
 * json.dump({"format": "imrm-hidden-index/1", "vocabSize": model.config.vocab_size, "beta": 0.1,
 *            "reference": "init", "hiddenFile": "hidden.npy", "init": {"U": "unembedding.npy"},
 *            "prefixes": prefixes, "train": train, "eval": evals}, open("index.json", "w"))
 * ```
 *
 * Then `importHidden('index.json', { out: 'problem.json' })` (leave `init` out to start from `U_0 = 0`). A large
 * unembedding is written beside the problem file as `problem.U.npy` (see `writeProblem`), never inlined.
 *
 * ## Where the files may be
 *
 * `hiddenFile` and the `init` names are relative to the index file's folder and must resolve, after symbolic links,
 * to regular files inside it (`io/files.ts`, the same rule as for problem files): an absolute path, a `..` leading
 * out, a symbolic link pointing out, a FIFO or a device is an error naming the index file and the field.
 */
import { InputError, message, prefixKey } from '../messages/index.js';
import { probeMessages as pm } from '../messages/probes.js';
import { checkMemory, problemBytes } from '../models/budget.js';
import type { Problem } from '../models/problem.js';
import { prefixId } from '../representations/representation.js';
import { openNamedFile } from './files.js';
import { firstNonFinite, type NpyArray } from './npy.js';
import { readNpy, readNpyFrom, type NpyHeaderCheck } from './npyFile.js';
import { parseProblem, PROBLEM_FORMAT, readJson, writeProblem, type WriteProblemOptions } from './problemFile.js';
import type { ArrayLoader } from './problemJson.js';

export { readNpy } from './npyFile.js';

export const HIDDEN_INDEX_FORMAT = 'imrm-hidden-index/1';

/** The default matrix file, beside the index. */
export const DEFAULT_HIDDEN_FILE = 'hidden.npy';

export interface ImportHiddenOptions extends WriteProblemOptions {
  /**
   * Matrix file to use instead of the index's `hiddenFile` (a path as given, not relative to the index, and not held
   * to its folder: the caller chose it). It must still be a regular file.
   */
  hiddenFile?: string;
  /**
   * When given, also write the problem there (`writeProblem`, atomic): its arrays of more than `inlineLimit` numbers
   * (a real unembedding) as `.npy` files beside it.
   */
  out?: string;
}

/** A loaded `.npy` array and the name to use for it in error messages. */
export interface LoadedArray {
  name: string;
  array: NpyArray;
}

/**
 * Loads the array a name of the index stands for: `entry` is the field that names it (`hiddenFile`, `init.U`,
 * `init.u`); `check` sees the `.npy` header before the data are read.
 */
export type IndexArrayLoader = (name: unknown, entry: string, check: NpyHeaderCheck) => LoadedArray;

/** Reads an index file and its `.npy` files (see the file comment) into a validated problem. */
export function importHidden(indexFile: string, opts: ImportHiddenOptions = {}): Problem {
  const load: IndexArrayLoader = (name, entry, check) => {
    if (entry === 'hiddenFile' && opts.hiddenFile !== undefined) return { name: opts.hiddenFile, array: readNpy(opts.hiddenFile, check) };
    // names in the index: inside its folder only (`openNamedFile`, shared with problem files)
    const open = openNamedFile(indexFile, entry, name);
    return { name: open.shown, array: readNpyFrom(open, open.shown, check) };
  };
  const problem = parseHiddenIndex(readJson(indexFile), indexFile, load);
  if (opts.out !== undefined) writeProblem(opts.out, problem, opts.inlineLimit === undefined ? {} : { inlineLimit: opts.inlineLimit });
  return problem;
}

type Json = Record<string, unknown>;

/**
 * Validates a parsed index and builds the problem. `load` returns the array a file name of the index stands for;
 * it is called only for the variant in use. The arrays reach the problem as they are (no copy, no JSON).
 */
export function parseHiddenIndex(raw: unknown, indexFile: string, load: IndexArrayLoader): Problem {
  const top = object(raw, indexFile, '');
  const allowed = ['format', 'vocabSize', 'beta', 'reference', 'hiddenFile', 'init', 'prefixes', 'train', 'eval'];
  for (const k of Object.keys(top)) if (!allowed.includes(k)) throw new InputError(message.unknownField(indexFile, k));
  for (const k of ['format', 'vocabSize', 'beta', 'reference', 'prefixes', 'train']) {
    if (top[k] === undefined) throw new InputError(message.missingField(indexFile, k));
  }
  if (top.format !== HIDDEN_INDEX_FORMAT) throw new InputError(message.wrongFormat(indexFile, HIDDEN_INDEX_FORMAT, top.format));
  const V = top.vocabSize;
  if (typeof V !== 'number' || !Number.isInteger(V) || V < 1) throw new InputError(message.wrongType(indexFile, 'vocabSize', 'an integer >= 1', V));

  const prefixes = parsePrefixes(top.prefixes, V, indexFile);
  const inline = prefixes[0]!.h !== undefined;
  const budget = (D: number): void =>
    checkMemory(problemBytes(V, D, prefixes.length), indexFile, 'vocabSize', `|V| = ${V} tokens × D = ${D} (with ${prefixes.length} prefixes)`);
  let D: number;
  let hidden: { hiddenFile?: string; hidden: Json[] };
  const arrays = new Map<string, LoadedArray>(); // by the problem-file entry they become
  if (inline) {
    if (top.hiddenFile !== undefined) throw new InputError(pm.hiddenFileWithInline(indexFile));
    D = prefixes[0]!.h!.length;
    if (D < 1) throw new InputError(message.wrongType(indexFile, 'prefixes[0].h', 'a non-empty array of numbers', prefixes[0]!.h));
    prefixes.forEach((p, i) => {
      if (p.h!.length !== D) throw new InputError(message.wrongLength(indexFile, `prefixes[${i}].h`, D, p.h!.length));
      p.h!.forEach((x, j) => {
        if (typeof x !== 'number') throw new InputError(message.wrongType(indexFile, `prefixes[${i}].h[${j}]`, 'a number', x));
        if (!Number.isFinite(x)) throw new InputError(message.notFinite(indexFile, `prefixes[${i}].h[${j}]`));
      });
    });
    budget(D);
    hidden = { hidden: prefixes.map((p) => ({ prompt: p.prompt, prefix: p.prefix, h: p.h })) };
  } else {
    const loaded = load(top.hiddenFile ?? DEFAULT_HIDDEN_FILE, 'hiddenFile', (h, name) => {
      if (h.shape.length !== 2) throw new InputError(pm.hiddenNotMatrix(name, h.shape));
      const [rows, dim] = h.shape as [number, number];
      if (dim < 1) throw new InputError(pm.hiddenEmptyDim(name, h.shape));
      if (rows !== prefixes.length) throw new InputError(pm.hiddenRowCount(indexFile, name, prefixes.length, rows));
      budget(dim);
    });
    const { data } = loaded.array;
    D = loaded.array.shape[1]!;
    const i = firstNonFinite(data);
    if (i >= 0) {
      const r = Math.floor(i / D);
      throw new InputError(pm.hiddenNotFinite(loaded.name, r, i - r * D, `prefixes[${r}] = ${prefixKey(prefixes[r]!.prompt, prefixes[r]!.prefix)}`, data[i]!));
    }
    arrays.set('hiddenFile', loaded);
    hidden = { hiddenFile: 'hiddenFile', hidden: prefixes.map((p) => ({ prompt: p.prompt, prefix: p.prefix })) };
  }

  const init = top.init === undefined ? undefined : parseInit(top.init, V, D, indexFile, load, arrays);
  const problemJson: Json = {
    format: PROBLEM_FORMAT,
    vocabSize: V,
    hiddenDim: D,
    beta: top.beta,
    reference: top.reference,
    ...(init ? { init } : {}),
    ...hidden,
    train: top.train,
    ...(top.eval !== undefined ? { eval: top.eval } : {}),
  };
  // the arrays already loaded and checked, handed to the problem-file parser under the entries they became
  const loaded: ArrayLoader = (_name, entry) => {
    const a = arrays.get(entry)!;
    return { shown: a.name, data: a.array.data };
  };
  return parseProblem(problemJson, indexFile, loaded);
}

// --- the parts of the index that are not problem-file fields ------------------------------------------

interface PrefixEntry {
  prompt: number;
  prefix: number[];
  h?: unknown[];
}

/** `prefixes`: entries `{prompt, prefix[, h]}`, no duplicates, every entry with `h` or none. */
function parsePrefixes(value: unknown, V: number, file: string): PrefixEntry[] {
  if (!Array.isArray(value)) throw new InputError(message.wrongType(file, 'prefixes', 'an array', value));
  if (value.length === 0) throw new InputError(pm.hiddenNoPrefixes(file));
  const firstSeen = new Map<string, string>();
  let inline: boolean | undefined;
  return value.map((e, i) => {
    const entry = `prefixes[${i}]`;
    const o = object(e, file, entry);
    for (const k of Object.keys(o)) if (!['prompt', 'prefix', 'h'].includes(k)) throw new InputError(message.unknownField(file, `${entry}.${k}`));
    for (const k of ['prompt', 'prefix']) if (o[k] === undefined) throw new InputError(message.missingField(file, `${entry}.${k}`));
    const prompt = o.prompt;
    if (typeof prompt !== 'number' || !Number.isInteger(prompt) || prompt < 0) throw new InputError(message.badPrompt(file, `${entry}.prompt`, prompt));
    if (!Array.isArray(o.prefix)) throw new InputError(message.wrongType(file, `${entry}.prefix`, 'an array', o.prefix));
    const prefix = o.prefix.map((x: unknown, k) => {
      if (typeof x !== 'number' || !Number.isInteger(x)) throw new InputError(message.wrongType(file, `${entry}.prefix[${k}]`, 'an integer token id', x));
      if (x < 0 || x >= V) throw new InputError(message.tokenOutOfRange(file, `${entry}.prefix[${k}]`, x, V));
      return x;
    });
    const id = prefixId(prompt, prefix);
    const first = firstSeen.get(id);
    if (first !== undefined) throw new InputError(message.duplicatePrefix(file, entry, first, prefixKey(prompt, prefix)));
    firstSeen.set(id, entry);
    const hasH = o.h !== undefined;
    if (inline === undefined) inline = hasH;
    else if (hasH !== inline) throw new InputError(pm.hiddenMixedVariant(file, entry, hasH ? 'has "h" but prefixes[0] does not' : 'has no "h" but prefixes[0] does'));
    if (hasH && !Array.isArray(o.h)) throw new InputError(message.wrongType(file, `${entry}.h`, 'an array of numbers', o.h));
    return hasH ? { prompt, prefix, h: o.h as unknown[] } : { prompt, prefix };
  });
}

/**
 * `init`: `U` and `u` inline (left in the value for the problem-file checks) or named `.npy` files of shape `(V, D)`
 * and `(D,)` (loaded here, their shapes checked before their data are read, and handed over in `arrays`: a real
 * unembedding is too big to go through JSON values).
 */
function parseInit(value: unknown, V: number, D: number, file: string, load: IndexArrayLoader, arrays: Map<string, LoadedArray>): Json {
  const json: Json = { ...object(value, file, 'init') };
  for (const [key, shape] of [['U', [V, D]], ['u', [D]]] as const) {
    const f = json[key];
    if (typeof f !== 'string') continue; // inline (or wrong): the problem-file checks name it
    const entry = `init.${key}`;
    const loaded = load(f, entry, (h, name) => {
      if (h.shape.length !== shape.length || h.shape.some((n, i) => n !== shape[i])) throw new InputError(pm.hiddenInitShape(name, entry, shape, h.shape));
    });
    const bad = firstNonFinite(loaded.array.data);
    if (bad >= 0) throw new InputError(pm.hiddenInitNotFinite(loaded.name, entry, bad));
    arrays.set(entry, loaded);
    json[key] = entry;
  }
  return json;
}

function object(v: unknown, file: string, entry: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(message.wrongType(file, entry, 'an object', v));
  return v as Json;
}
