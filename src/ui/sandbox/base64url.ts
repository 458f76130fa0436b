/**
 * base64url without padding (RFC 4648 §5), the alphabet that survives a URL fragment untouched.
 * @module
 */

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Throws a RangeError naming the first character that is not base64url. */
export function fromBase64Url(text: string): Uint8Array {
  const bad = /[^A-Za-z0-9_-]/.exec(text);
  if (bad) throw new RangeError(`Not base64url: unexpected character ${JSON.stringify(bad[0])} at position ${bad.index}`);
  if (text.length % 4 === 1) throw new RangeError('Not base64url: the length is impossible (truncated?)');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
