/**
 * The text `hsm-playground --help` prints: how to start the tool, its options and its three modes.
 * @module
 */
import { MAX_HSMS } from '../cluster/cluster.ts';
import { DEFAULT_HSMS, HSM_MODELS } from './options.ts';

export function usageText(tools: readonly string[]): string {
  return [
    'Usage: hsm-playground [options] [command words…]',
    '       hsm-playground transcript FILE.md [--check] [--seed S]',
    '',
    'A simulated AWS CloudHSM cluster: real HSMs in worker threads, driven by cloudhsm-cli commands.',
    '',
    'Options (before the command words):',
    `  --hsms N        number of HSMs in a new cluster, 1–${MAX_HSMS} (default ${DEFAULT_HSMS})`,
    `  --model M       HSM model: ${HSM_MODELS.join(' | ')} (default ${HSM_MODELS[0]})`,
    '  --seed S        deterministic mode: same seed, same keys, signatures and output',
    '  --state DIR     keep the cluster in DIR (created if missing) so the next run sees it;',
    '                  without it the cluster lives in memory for this run only',
    `  --tool T        which tool reads the commands: ${tools.join(' | ')} (default ${tools[0] ?? 'cli'})`,
    '  --clone-cluster also hold a clone of the cluster (restored from its backup, spec §1.3):',
    '                  the clusters are cluster-1 and cluster-2; `--cluster-id cluster-2` sends a',
    '                  command to the clone (its own login), and `key replicate` / `user replicate`',
    '                  --source-cluster-id cluster-1 --destination-cluster-id cluster-2 copy to it.',
    '                  With --state the clone is saved too and comes back on later runs',
    '  --help          this text',
    '  --version       the version',
    '',
    'Modes:',
    '  no command words, terminal      interactive shell (prompt "aws-cloudhsm > ", history, Tab completion)',
    '  no command words, piped input   one command per line; each answer is one JSON document;',
    '                                  prompts (passwords) go to stderr and read the next line',
    '  command words                   run that one command, logged in from CLOUDHSM_ROLE and',
    '                                  CLOUDHSM_PIN=<user>:<password>; exit 0 if error_code is 0, else 1',
    '',
    'A fresh cluster is unactivated: start with `cluster activate`. Type `help` for the commands.',
    'Exit status 2 means bad options.',
    '',
  ].join('\n');
}
