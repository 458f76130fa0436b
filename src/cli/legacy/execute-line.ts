/**
 * The line loop shared by CMU and KMU: parse with the shared machinery, answer `help` from the
 * table, print parse errors in the tool's voice, run the command. Never throws.
 * @module
 */
import { renderCommandHelp, renderCommandList } from '../machinery/help.ts';
import { parseLine } from '../machinery/parser.ts';
import type { CommandTable } from '../machinery/spec.ts';
import { failed, type LegacyCommand } from './command.ts';
import type { LegacyResult } from './context.ts';

export interface LineVoice {
  /** The prompt shown before examples in help. */
  readonly prompt: string;
  /** How the tool reports a malformed line (e.g. KMU's `Error: …` + usage hint). */
  parseError(message: string): string;
}

export async function executeLine<Ctx>(table: CommandTable<LegacyCommand<Ctx>>, line: string, ctx: Ctx, voice: LineVoice): Promise<LegacyResult> {
  try {
    if (line.trimStart().startsWith('#')) return { output: '', error_code: 0 };
    const parsed = parseLine(table, line);
    switch (parsed.kind) {
      case 'empty':
        return { output: '', error_code: 0 };
      case 'help': {
        const style = { prompt: voice.prompt, formatAnswer: (answer: unknown) => String(answer) };
        const text = parsed.command ? renderCommandHelp(table, parsed.command, style) : renderCommandList(table, parsed.path);
        return { output: text, error_code: 0 };
      }
      case 'error':
        return failed(voice.parseError(parsed.message));
      case 'command':
        return await parsed.command.run(parsed.flags, ctx);
    }
  } catch (e) {
    return failed(voice.parseError(e instanceof Error ? e.message : String(e)));
  }
}
