/**
 * The settings form: settings → controls, controls → settings (see `settings.ts` for the fields and limits). A value
 * that is not taken is said so next to its control (what the field accepts, what it got), and stays in the control
 * for the user to correct.
 */
import { isMethod, message } from '../browser.js';
import { checkNumber, FIELD_LABEL, isExplorerKind, limitText, switchDefaults, type NumberField, type Settings } from './settings.js';

const NUMBER_INPUTS = ['rho', 'shared', 'vocab', 'dim', 'pairs', 'length', 'beta', 'lr', 'seed'] as const;
/** Horizons offered in the menu (a value from the address bar is added when it is not one of them). */
const HORIZONS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];

export class SettingsForm {
  constructor(private readonly form: HTMLFormElement) {}

  private control<T extends HTMLElement>(name: string): T {
    const el = this.form.elements.namedItem(name);
    if (!el) throw new Error(`explorer: no control named ${name}`);
    return el as unknown as T;
  }

  /**
   * Shows settings in the controls (and only the controls that apply to the kind and the method); the controls in
   * `keep` (holding a value that was not taken) keep what the user typed.
   */
  show(s: Settings, keep: ReadonlySet<string> = new Set()): void {
    this.control<HTMLSelectElement>('kind').value = s.kind;
    this.control<HTMLSelectElement>('method').value = s.method;
    for (const name of NUMBER_INPUTS) if (!keep.has(name)) this.control<HTMLInputElement>(name).value = String(s[name]);
    this.showRange('rho', s.rho);
    this.showRange('shared', s.shared);
    const horizon = this.control<HTMLSelectElement>('horizon');
    const offered = HORIZONS.includes(s.horizon) ? HORIZONS : [...HORIZONS, s.horizon].sort((a, b) => a - b);
    horizon.replaceChildren(...offered.map((t) => new Option(formatTime(t), String(t))));
    horizon.value = String(s.horizon);
    this.form.querySelectorAll<HTMLElement>('[data-only]').forEach((label) => {
      const only = label.dataset.only!.split(' ');
      label.hidden = !only.includes(s.kind) && !only.includes(s.method);
    });
  }

  /** The number next to a slider (`rho`, `shared`). */
  showRange(name: string, value: number): void {
    const out = this.form.querySelector<HTMLOutputElement>(`#${name}-value`);
    if (out) out.value = value.toFixed(2);
  }

  /**
   * The settings the controls describe, starting from `current`: a changed kind or method moves fields still at
   * their defaults to the new defaults; an invalid number keeps the current value and is listed in `invalid`, with
   * the message that says why.
   */
  read(current: Settings): { settings: Settings; invalid: Map<NumberField, string> } {
    const kind = this.control<HTMLSelectElement>('kind').value;
    const method = this.control<HTMLSelectElement>('method').value;
    let s = { ...current };
    const invalid = new Map<NumberField, string>();
    if (isExplorerKind(kind) && isMethod(method) && (kind !== s.kind || method !== s.method)) {
      s = switchDefaults(s, kind, method);
      return { settings: s, invalid }; // the other controls still show the old defaults
    }
    const fields: NumberField[] = [...NUMBER_INPUTS, 'horizon'];
    for (const name of fields) {
      const raw = this.control<HTMLInputElement | HTMLSelectElement>(name).value;
      const x = checkNumber(name, raw);
      if (x === undefined) invalid.set(name, invalidNumber(name, raw));
      else s[name] = x;
    }
    return { settings: s, invalid };
  }

  /** Says next to each number control why its value was not taken (`invalid`: field → message); clears the others. */
  showInvalid(invalid: ReadonlyMap<string, string>): void {
    for (const name of NUMBER_INPUTS) {
      const input = this.control<HTMLInputElement>(name);
      const text = invalid.get(name) ?? '';
      input.setCustomValidity(text);
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      const note = this.noteFor(input, name);
      note.textContent = text;
      note.hidden = !text;
    }
  }

  /** The message element under a control (made on first use, tied to it by aria-describedby). */
  private noteFor(input: HTMLInputElement, name: string): HTMLElement {
    const id = `${name}-error`;
    let note = this.form.querySelector<HTMLElement>(`#${id}`);
    if (!note) {
      note = document.createElement('small');
      note.id = id;
      note.className = 'field-error';
      note.dataset.testid = `error-${name}`;
      note.setAttribute('role', 'alert');
      note.hidden = true;
      input.insertAdjacentElement('afterend', note);
      input.setAttribute('aria-describedby', id);
    }
    return note;
  }
}

/** Why a number field's value was not taken: `|V|: expected a whole number from 16 to 20000, got "12.5"`. */
export function invalidNumber(field: NumberField, raw: string): string {
  return message.badOption(FIELD_LABEL[field], raw, limitText(field));
}

/** `1`, `10`, `100`, `10³` …, as the time axis labels them. */
export function formatTime(t: number): string {
  const k = Math.log10(t);
  if (!Number.isInteger(k) || Math.abs(k) <= 2) return String(t);
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return '10' + (k < 0 ? '⁻' : '') + [...String(Math.abs(k))].map((d) => sup[Number(d)]).join('');
}
