/**
 * The refusals of an MFA login (spec §7.1), in a module of their own so clients (the CMU `-2fa`
 * login, the page) can recognise them without loading the HSM's signature code.
 * @module
 */

/** A user with an MFA key logged in without the signed challenges. */
export const MFA_REQUIRED = 'MFA token-sign is required for this user: log in with "login … mfa-token-sign --token <file>" and sign every token';
/** The signed challenges did not verify with the registered MFA key. */
export const MFA_SIGNATURE_INVALID = 'MFA token verification failed: every token must be signed with the registered MFA key';
