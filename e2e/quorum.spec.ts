/**
 * Quorum authentication in the page (issue 8): three admin sessions in one tab. Two of them make
 * key pairs in their keyrings, register them, and approve a user deletion by signing the token
 * file with one click; the third session — the requester — watches the deletion fail without
 * approval and succeed with the two approvals. Real HSM workers, the built site, Chromium.
 * @module
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { activePanel, newSession, openPage, run, selectSession } from './page-driver.ts';

const PASSWORD = 'Admin-pass1';

/** Opens the active session's keyring panel. */
async function keyring(page: Page): Promise<Locator> {
  const ring = activePanel(page).locator('.keyring');
  if (!(await ring.evaluate((d) => (d as HTMLDetailsElement).open))) await ring.locator('summary').click();
  return ring;
}

async function signWithKeyring(page: Page, path: string): Promise<void> {
  const ring = await keyring(page);
  await ring.getByLabel('Token file').fill(path);
  await ring.getByRole('button', { name: 'Sign token file' }).click();
  await expect(ring.getByRole('status')).toContainText(path);
  await expect(ring.getByRole('status')).toHaveAttribute('data-state', 'ok');
}

/** In the active session (logged in as `username`): make a key pair, register it for quorum. */
async function registerWithKeyring(page: Page, username: string): Promise<void> {
  const ring = await keyring(page);
  await ring.getByRole('button', { name: 'Make key pair' }).click();
  await expect(ring.locator('.keyring-pem')).toContainText('-----BEGIN PUBLIC KEY-----', { timeout: 30_000 });
  expect((await run(page, `quorum token-sign generate --service registration --token reg-${username}.json`)).data).toEqual({ filepath: `reg-${username}.json` });
  await signWithKeyring(page, `reg-${username}.json`);
  expect(await run(page, `user change-quorum token-sign register --public-key ${username}.pub.pem --signed-token reg-${username}.json`)).toEqual({
    error_code: 0,
    data: { username, role: 'admin' },
  });
}

test('two admin sessions approve a user deletion with their keyrings; a third session watches it succeed', async ({ page }) => {
  await openPage(page);

  // Session 1: the requester
  expect((await run(page, `cluster activate --password ${PASSWORD}`)).error_code).toBe(0);
  expect((await run(page, `login --username admin --role admin --password ${PASSWORD}`)).error_code).toBe(0);
  for (const name of ['approver1', 'approver2']) expect((await run(page, `user create --username ${name} --role admin --password ${PASSWORD}`)).error_code).toBe(0);
  expect((await run(page, `user create --username doomed --role crypto-user --password ${PASSWORD}`)).error_code).toBe(0);

  // Sessions 2 and 3: the approvers register their keyring keys
  for (const [n, name] of [[2, 'approver1'], [3, 'approver2']] as const) {
    await newSession(page);
    await selectSession(page, n);
    expect((await run(page, `login --username ${name} --role admin --password ${PASSWORD}`)).error_code).toBe(0);
    await registerWithKeyring(page, name);
  }

  // Session 1 sets the quorum and asks for a token
  await selectSession(page, 1);
  expect(await run(page, 'quorum token-sign set-quorum-value --service user --value 2')).toEqual({ error_code: 0, data: 'Set quorum value successful' });
  expect(await run(page, 'user delete --username doomed --role crypto-user')).toEqual({ error_code: 1, data: 'Quorum approval is required for this operation' });
  expect((await run(page, 'quorum token-sign generate --service user --token delete-doomed.json')).data).toEqual({ filepath: 'delete-doomed.json' });

  // one approval is not enough
  await selectSession(page, 2);
  await signWithKeyring(page, 'delete-doomed.json');
  await selectSession(page, 1);
  expect((await run(page, 'user delete --username doomed --role crypto-user --approval delete-doomed.json')).data).toBe('Quorum approval is required for this operation');

  // the second approver signs too; the requester's deletion goes through, once
  await selectSession(page, 3);
  await signWithKeyring(page, 'delete-doomed.json');
  await selectSession(page, 1);
  expect(await run(page, 'user delete --username doomed --role crypto-user --approval delete-doomed.json')).toEqual({ error_code: 0, data: { username: 'doomed', role: 'crypto-user' } });
  const users = (await run(page, 'user list')).data.users as { username: string; quorum: unknown[] }[];
  expect(users.map((u) => u.username)).not.toContain('doomed');
  expect(users.find((u) => u.username === 'approver1')?.quorum).toEqual([{ strategy: 'token-sign', status: 'enabled' }]);
  expect((await run(page, 'user delete --username approver2 --role admin --approval delete-doomed.json')).data).toBe('Quorum approval is required for this operation');
});
