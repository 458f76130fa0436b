/**
 * The word that starts the playground's own lines (`sandbox stop-hsm 1`, `sandbox add-hsm`…):
 * what the AWS console does, not cloudhsm-cli. Its own module so the transcript export and the
 * main page can recognise these lines without loading the sandbox.
 * @module
 */
export const SANDBOX_WORD = 'sandbox';
