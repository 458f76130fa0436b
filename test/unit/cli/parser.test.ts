/**
 * The command-line parser: longest command path, typed flags, defaults, multi-value flags, and error
 * messages that say what was wrong and suggest the closest command or flag.
 * @module
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLine } from '../../../src/cli/machinery/parser.ts';
import { CLOUDHSM_CLI } from '../../../src/cli/cloudhsm-cli/table.ts';
import { commandName } from '../../../src/cli/machinery/spec.ts';

const parse = (line: string) => parseLine(CLOUDHSM_CLI, line);
const errorOf = (line: string) => {
  const r = parse(line);
  return r.kind === 'error' ? r.message : `not an error: ${r.kind}`;
};

describe('parseLine: commands', () => {
  it('finds the longest command path and reads typed flags', () => {
    const r = parse('key generate-symmetric aes --label "my key" --key-length-bytes 32 --attributes encrypt=true decrypt=true --session');
    expect(r.kind).toBe('command');
    if (r.kind !== 'command') return;
    expect(commandName(r.command)).toBe('key generate-symmetric aes');
    expect(r.flags.string('label')).toBe('my key');
    expect(r.flags.int('key-length-bytes')).toBe(32);
    expect(r.flags.optPairs('attributes')).toEqual({ encrypt: 'true', decrypt: 'true' });
    expect(r.flags.bool('session')).toBe(true);
  });
  it('accepts --flag=value and applies defaults', () => {
    const r = parse('key list --max-items=3');
    expect(r.kind === 'command' && r.flags.int('max-items')).toBe(3);
    const d = parse('key list');
    expect(d.kind === 'command' && d.flags.int('max-items')).toBe(10);
  });
  it('lets multi-value flags take words until the next --flag, and be repeated', () => {
    const r = parse('key list --filter attr.class=secret-key attr.label="a b" --verbose --filter key-reference=0x1');
    expect(r.kind === 'command' && r.flags.words('filter')).toEqual(['attr.class=secret-key', 'attr.label=a b', 'key-reference=0x1']);
  });
  it('returns empty for blank lines', () => {
    expect(parse('   ').kind).toBe('empty');
  });
});

describe('parseLine: errors say what was wrong and suggest', () => {
  it('suggests the closest command', () => {
    expect(errorOf('key generate-symetric aes')).toBe(
      "Unknown command 'key generate-symetric'. Did you mean 'key generate-symmetric'? Commands under 'key': generate-symmetric, generate-asymmetric-pair, import, generate-file, list, delete, share, unshare, set-attribute, replicate, wrap, unwrap.",
    );
    expect(errorOf('lgoin --username a')).toBe("Unknown command 'lgoin'. Did you mean 'login'?");
  });
  it('asks for a subcommand when a group is given alone', () => {
    expect(errorOf('key generate-symmetric')).toBe("'key generate-symmetric' needs a subcommand: aes, generic-secret. Type 'help key generate-symmetric' for details.");
  });
  it('suggests the closest flag', () => {
    expect(errorOf('key generate-symmetric aes --lable x --key-length-bytes 16')).toBe("Unknown flag '--lable' for 'key generate-symmetric aes'. Did you mean '--label'?");
  });
  it('names every missing required flag', () => {
    expect(errorOf('key generate-symmetric aes')).toBe(
      "Missing required flags --label, --key-length-bytes for 'key generate-symmetric aes'. Type 'key generate-symmetric aes --help' for usage.",
    );
  });
  it('enforces exactly-one-of groups', () => {
    expect(errorOf('crypto digest --hash-function sha256')).toBe("'crypto digest' needs one of --data or --data-path");
    expect(errorOf('crypto digest --hash-function sha256 --data YWJj --data-path f')).toBe("Flags --data and --data-path cannot be used together for 'crypto digest'");
  });
  it('refuses bad values with the accepted ones', () => {
    expect(errorOf('login --username a --role root')).toBe("Invalid value 'root' for --role: expected one of admin, crypto-user, appliance");
    expect(errorOf('crypto digest --hash-function sha256 --data abc')).toBe("Invalid value for --data: 'abc' is not standard base64");
  });
  it('gives the RSA modulus range the HSM enforces (2048 to 4096 bits), not a wider one', () => {
    const rsa = 'key generate-asymmetric-pair rsa --public-label p --private-label k --public-exponent 65537 --modulus-size-bits';
    expect(errorOf(`${rsa} 8192`)).toBe("Invalid value '8192' for --modulus-size-bits: expected a whole number from 2048 to 4096");
    expect(errorOf(`${rsa} 1024`)).toBe("Invalid value '1024' for --modulus-size-bits: expected a whole number from 2048 to 4096");
    expect(parse(`${rsa} 4096`).kind).toBe('command');
  });
  it('refuses stray words, repeated single flags and unquoted multi-word values', () => {
    expect(errorOf('logout now')).toBe("Unexpected argument 'now' for 'logout'. Flags start with '--'; type 'logout --help' for the list.");
    expect(errorOf('key list --verbose yes')).toBe("--verbose takes no value, got 'yes'");
    expect(errorOf('key delete --filter attr.label=a --filter attr.label=b')).not.toContain('more than once');
    expect(errorOf('login --username a --username b --role admin')).toBe("Flag '--username' given more than once for 'login'");
    expect(errorOf('user delete --username my user --role admin')).toBe("--username takes one value, got 2: 'my' 'user'");
  });
  it('reports tokenizer errors', () => {
    expect(errorOf('key list --filter "attr.label=x')).toMatch(/^Invalid command line: unterminated double quote/);
  });
});

describe('parseLine: help forms', () => {
  it('recognises help, help <group>, help <command>, --help and -h', () => {
    expect(parse('help')).toEqual({ kind: 'help', path: [] });
    expect(parse('help key wrap')).toEqual({ kind: 'help', path: ['key', 'wrap'] });
    const h = parse('help key list');
    expect(h.kind === 'help' && h.command && commandName(h.command)).toBe('key list');
    const flagHelp = parse('key list --filter attr.label=x -h');
    expect(flagHelp.kind === 'help' && flagHelp.command && commandName(flagHelp.command)).toBe('key list');
    expect(parse('key --help')).toEqual({ kind: 'help', path: ['key'] });
  });
  it('suggests for help on an unknown command', () => {
    expect(errorOf('help kye list')).toBe("Unknown command 'kye'. Did you mean 'key'?");
  });
});

describe('parseLine never throws (property)', () => {
  const vocabulary = [
    ...new Set(CLOUDHSM_CLI.commands.flatMap((c) => [...c.path, ...c.flags.map((f) => `--${f.name}`)])),
    'help', '-h', '--help', '"', "'", '\\', '=', 'attr.label=x', 'key-reference=0x1', 'YWJj', '0x00', '-1', '99999999999999999999', '',
  ];
  it('answers a result of a known kind for random token sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...vocabulary), fc.string()), { maxLength: 12 }), (tokens) => {
        const r = parse(tokens.join(' '));
        expect(['empty', 'command', 'help', 'error']).toContain(r.kind);
        if (r.kind === 'error') expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
  it('survives arbitrary unicode lines', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (line) => {
      expect(() => parse(line)).not.toThrow();
    }), { numRuns: 500 });
  });
});
