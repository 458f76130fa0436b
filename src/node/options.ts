/**
 * The `hsm-playground` command line: the tool's own options (they come before any command
 * words) and the words that follow them. Pure and Node-free so it is unit-testable; never throws —
 * a bad option becomes `{ ok: false, message }` naming what was wrong (the tool exits 2).
 * @module
 */
import type { HsmModel } from '../hsm/state.ts';
import { MAX_HSMS } from '../cluster/cluster.ts';

export const HSM_MODELS: readonly HsmModel[] = ['hsm2m.medium', 'hsm1.medium'];
export const DEFAULT_HSMS = 2;
export const DEFAULT_TOOL = 'cli';

export interface ToolOptions {
  /** Number of HSMs of a new cluster (1–28). `hsmsGiven` tells whether the user asked explicitly. */
  readonly hsms: number;
  readonly hsmsGiven: boolean;
  readonly model: HsmModel | undefined;
  readonly seed: string | undefined;
  /** Directory where clusters persist between runs; undefined = memory only. */
  readonly stateDir: string | undefined;
  /** Which emulated tool reads the commands (`cli`; `cmu`/`kmu` when registered). */
  readonly tool: string;
  /**
   * `--clone-cluster`: also hold a clone of the first cluster (made from a backup of it, spec
   * §1.3), so `key replicate` / `user replicate` and `--cluster-id` have two clusters to work with.
   */
  readonly cloneCluster: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** The command words after the options (empty: shell or script mode). */
  readonly words: readonly string[];
}

export type ParsedOptions = { readonly ok: true; readonly options: ToolOptions } | { readonly ok: false; readonly message: string };

const VALUE_OPTIONS = ['hsms', 'model', 'seed', 'state', 'tool'] as const;
const FLAG_OPTIONS = ['help', 'version', 'clone-cluster'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

function isValueOption(name: string): name is ValueOption {
  return (VALUE_OPTIONS as readonly string[]).includes(name);
}

/**
 * Parse `argv` (without `node` and the script). Options are read until the first word that does
 * not start with `-`, or until `--`; everything after is command words, passed on untouched.
 * `knownTools` is the list of tool names `--tool` accepts.
 */
export function parseOptions(argv: readonly string[], knownTools: readonly string[]): ParsedOptions {
  const values: Partial<Record<ValueOption, string>> = {};
  let help = false;
  let version = false;
  let cloneCluster = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '-V' || arg === '--version') {
      version = true;
      continue;
    }
    if (arg === '--clone-cluster') {
      if (cloneCluster) return { ok: false, message: 'Option --clone-cluster is given twice' };
      cloneCluster = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : '';
    if (!isValueOption(name)) {
      const known = [...VALUE_OPTIONS, ...FLAG_OPTIONS].map((o) => `--${o}`).join(', ');
      return { ok: false, message: `Unknown option '${arg}' (options are ${known}; they come before the command words)` };
    }
    if (values[name] !== undefined) return { ok: false, message: `Option --${name} is given twice` };
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined) return { ok: false, message: `Option --${name} needs a value` };
      i++;
    }
    values[name] = value;
  }

  let hsms = DEFAULT_HSMS;
  if (values.hsms !== undefined) {
    const n = /^\d+$/.test(values.hsms) ? Number(values.hsms) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_HSMS) {
      return { ok: false, message: `Option --hsms must be a whole number from 1 to ${MAX_HSMS}, got '${values.hsms}'` };
    }
    hsms = n;
  }
  let model: HsmModel | undefined;
  if (values.model !== undefined) {
    const found = HSM_MODELS.find((m) => m === values.model);
    if (!found) return { ok: false, message: `Option --model must be one of ${HSM_MODELS.join(', ')}, got '${values.model}'` };
    model = found;
  }
  if (values.seed !== undefined && values.seed.length === 0) return { ok: false, message: 'Option --seed must not be empty' };
  if (values.state !== undefined && values.state.length === 0) return { ok: false, message: 'Option --state must name a directory' };
  const tool = values.tool ?? DEFAULT_TOOL;
  if (!knownTools.includes(tool)) return { ok: false, message: `Option --tool must be one of ${knownTools.join(', ')}, got '${tool}'` };

  return {
    ok: true,
    options: {
      hsms,
      hsmsGiven: values.hsms !== undefined,
      model,
      seed: values.seed,
      stateDir: values.state,
      tool,
      cloneCluster,
      help,
      version,
      words: argv.slice(i),
    },
  };
}
