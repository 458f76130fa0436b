import { describe, expect, it } from 'vitest';
import { OUTPUT_MARKER, TranscriptSyntaxError, outputBlock, parseTranscript } from '../../../src/ui/sandbox/transcript-format.ts';

const DOC = [
  '# Title',
  '<!-- hsm-playground transcript: seed=abc hsms=3 -->',
  '',
  '```cloudhsm-cli',
  'aws-cloudhsm > user list',
  '```',
  '',
  'Text between.',
  '',
  '```bash',
  'echo not run',
  '```',
  '',
  '```cloudhsm-cli session=alice hide-output',
  'login --username alice --role crypto-user --password pw',
  '```',
  '',
].join('\n');

describe('transcript format', () => {
  it('finds the settings comment and the command blocks with their options and lines', () => {
    const parsed = parseTranscript(DOC);
    expect(parsed.settings).toEqual({ seed: 'abc', hsms: 3 });
    expect(parsed.blocks.map((b) => ({ line: b.line, commands: b.commands, options: b.options }))).toEqual([
      { line: 4, commands: ['user list'], options: { hideOutput: false, skip: false } },
      { line: 14, commands: ['login --username alice --role crypto-user --password pw'], options: { session: 'alice', hideOutput: true, skip: false } },
    ]);
  });

  it('inserts an owned output block below a command block and keeps everything else byte for byte', () => {
    const once = parseTranscript(DOC).render(['{"a":1}', undefined]);
    expect(once).toBe(DOC.replace('user list\n```\n', `user list\n\`\`\`\n\n\`\`\`json ${OUTPUT_MARKER}\n{"a":1}\n\`\`\`\n`));
    const reparsed = parseTranscript(once);
    expect(reparsed.blocks[0]!.existingOutput).toBe('{"a":1}');
    // Re-rendering with the same output is a no-op; with another output only the block changes.
    expect(reparsed.render(['{"a":1}', undefined])).toBe(once);
    expect(reparsed.render(['{"b":2}', undefined])).toBe(once.replace('{"a":1}', '{"b":2}'));
  });

  it('drops an owned output block that follows no command block', () => {
    const doc = `Intro\n\n\`\`\`json ${OUTPUT_MARKER}\n{}\n\`\`\`\n\nEnd\n`;
    expect(parseTranscript(doc).render([])).toBe('Intro\n\nEnd\n');
  });

  it('uses a longer fence when the output itself contains a fence', () => {
    expect(outputBlock('a\n```\nb')).toBe(`\`\`\`\`json ${OUTPUT_MARKER}\na\n\`\`\`\nb\n\`\`\`\``);
  });

  it('refuses unknown block options, bad settings and unclosed blocks, naming the line', () => {
    expect(() => parseTranscript('```cloudhsm-cli colour=red\nx\n```')).toThrow(new TranscriptSyntaxError("Line 1: unknown option 'colour=red' on a cloudhsm-cli block (options are session=NAME, hide-output, skip)"));
    expect(() => parseTranscript('x\n<!-- hsm-playground transcript: hsms=99 -->')).toThrow(/Line 2: hsms must be a whole number from 1 to 28, got '99'/);
    expect(() => parseTranscript('<!-- hsm-playground transcript: flavour=x -->')).toThrow(/unknown setting 'flavour'/);
    expect(() => parseTranscript('\n```cloudhsm-cli\nuser list\n')).toThrow(/Line 2: this cloudhsm-cli block is never closed/);
  });
});
