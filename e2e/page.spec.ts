/**
 * End-to-end scenarios of the page (issue 6 "How it is checked"), against the built site in
 * Debian's Chromium with real HSM workers and real IndexedDB: activation, users, a second
 * session as a crypto user, EC keys, sign/verify, role gating and refusals, unauthenticated
 * commands, stopping/starting/adding HSMs with coverage, reload, export/reset/import. Each test
 * starts from a first visit (Playwright gives every test a fresh profile).
 * Screenshots of the main screen in each role go to reports/screenshots/.
 * @module
 */
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import {
  activePanel,
  ADMIN_PASSWORD,
  ALICE_PASSWORD,
  downloadedText,
  newSession,
  openPage,
  run,
  selectSession,
  settled,
  submitLine,
  waitUntilReady,
  type Envelope,
} from './page-driver.ts';

const DATA = 'SGVsbG8sIEhTTSE='; // "Hello, HSM!"

/** Activate, log in as admin in session 1, create alice; open session 2 logged in as alice. */
async function activateAndCreateAlice(page: Page): Promise<void> {
  expect(await run(page, `cluster activate --password ${ADMIN_PASSWORD}`)).toEqual({ error_code: 0, data: 'Cluster activation successful' });
  expect(await run(page, `login --username admin --role admin --password ${ADMIN_PASSWORD}`)).toEqual({ error_code: 0, data: { username: 'admin', role: 'admin' } });
  expect(await run(page, `user create --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).toEqual({ error_code: 0, data: { username: 'alice', role: 'crypto-user' } });
  await newSession(page);
  expect(await run(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).toEqual({ error_code: 0, data: { username: 'alice', role: 'crypto-user' } });
}

async function makeEcPair(page: Page, name: string): Promise<Envelope> {
  const answer = await run(page, `key generate-asymmetric-pair ec --curve prime256v1 --public-label ${name}-pub --private-label ${name}-priv --public-attributes verify=true --private-attributes sign=true`);
  expect(answer.error_code).toBe(0);
  return answer;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `reports/screenshots/${name}.png`, fullPage: false });
}

test.describe('the page', () => {
  test('first visit: an unactivated 2-HSM cluster; the first command answers quickly', async ({ page }) => {
    await openPage(page);
    await expect(page.locator('.hsm-card')).toHaveCount(2);
    await expect(page.locator('.tab .role-badge')).toHaveText('unauthenticated');
    await screenshot(page, 'role-unauthenticated');
    const panel = activePanel(page);
    await panel.locator('.term-input').fill('user list');
    const t0 = Date.now();
    await panel.locator('.term-input').press('Enter');
    await expect(panel.locator('.term-answer')).toHaveCount(1);
    const ms = Date.now() - t0;
    console.log(`time to the first command's answer after load: ${ms} ms`);
    const users = JSON.parse(await panel.locator('.term-output').first().innerText()) as Envelope;
    expect(users.data.users.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([
      ['admin', 'unactivated-admin'],
      ['app_user', 'internal(APPLIANCE_USER)'],
    ]);
    expect(ms).toBeLessThan(300);

    // The main screen in the other roles that exist before activation.
    expect(await run(page, 'login --username admin --role admin --password password')).toEqual({ error_code: 0, data: { username: 'admin', role: 'unactivated-admin' } });
    await settled(page);
    await expect(page.locator('.tab .role-badge')).toContainText('PRECO');
    await expect(page.locator('.permissions th.current')).toHaveText('PRECO');
    await expect(activePanel(page).locator('button[data-action="activate"]')).toBeEnabled();
    await expect(activePanel(page).locator('button[data-action="user-create"]')).toHaveAccessibleDescription('needs an admin');
    await screenshot(page, 'role-preco');
    expect((await run(page, 'logout')).error_code).toBe(0);
    expect(await run(page, 'login --username app_user --role appliance --password password')).toEqual({ error_code: 0, data: { username: 'app_user', role: 'internal(APPLIANCE_USER)' } });
    await settled(page);
    await expect(page.locator('.tab .role-badge')).toContainText('AU');
    await expect(page.locator('.permissions th.current')).toHaveText('AU');
    await screenshot(page, 'role-au');
  });

  test('activate, create a crypto user, sign and verify in a second session; roles gate buttons and commands', async ({ page }) => {
    await openPage(page);
    await activateAndCreateAlice(page);
    await expect(page.getByRole('tab', { name: /Session 2/ }).locator('.role-badge')).toContainText('CU');
    await expect(page.getByRole('tab', { name: /Session 2/ }).locator('.role-badge')).toContainText('crypto-user');
    await makeEcPair(page, 'ec1');
    const signed = await run(page, `crypto sign ecdsa --key-filter attr.label=ec1-priv --hash-function sha256 --data ${DATA}`);
    expect(signed.error_code).toBe(0);
    const signature = signed.data.signature as string;
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const verified = await run(page, `crypto verify ecdsa --key-filter attr.label=ec1-pub --hash-function sha256 --data ${DATA} --signature ${signature}`);
    expect(verified.error_code).toBe(0);
    const tampered = await run(page, `crypto verify ecdsa --key-filter attr.label=ec1-pub --hash-function sha256 --data SGVsbG8= --signature ${signature}`);
    expect(tampered.error_code).toBe(1);
    await settled(page);
    // The inspector shows the key with its owner and full coverage.
    const key = page.locator('.key-card[data-label="ec1-priv"]');
    await expect(key).toHaveAttribute('data-coverage', 'full');
    await key.locator('summary').click();
    await expect(key.locator('dd').first()).toHaveText('alice');
    await screenshot(page, 'role-cu');

    // The admin's Sign button is disabled with the reason; typing the command is refused by the HSM.
    await selectSession(page, 1);
    await settled(page);
    const sign = activePanel(page).locator('button[data-action="sign"]');
    await expect(sign).toBeDisabled();
    await expect(sign).toHaveAccessibleDescription('needs a crypto user');
    await expect(page.locator('.permissions th.current')).toHaveText('CO');
    const refused = await run(page, `crypto sign ecdsa --key-filter attr.label=ec1-priv --hash-function sha256 --data ${DATA}`);
    expect(refused.error_code).toBe(1);
    expect(typeof refused.data).toBe('string');
    await expect(activePanel(page).locator('.term-answer').last().locator('.term-explain')).toContainText('only a crypto user (CU) may run this');
    await screenshot(page, 'role-co');

    // A session that is not logged in: user list and cluster hsm-info work, nothing needing a login does.
    await newSession(page);
    const users = await run(page, 'user list');
    expect(users.error_code).toBe(0);
    expect(users.data.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'alice', 'app_user']);
    const info = await run(page, 'cluster hsm-info');
    expect(info.error_code).toBe(0);
    expect(info.data.hsms).toHaveLength(2);
    for (const line of ['key list', `crypto sign ecdsa --key-filter attr.label=ec1-priv --hash-function sha256 --data ${DATA}`, 'user create --username bob --role crypto-user --password Bob-pass1', 'logout']) {
      const answer = await run(page, line);
      expect(answer.error_code, line).toBe(1);
    }
    await expect(activePanel(page).locator('button[data-action="key-list"]')).toBeDisabled();
    await expect(activePanel(page).locator('button[data-action="user-list"]')).toBeEnabled();

    // The audit log, filtered by user and by HSM.
    await settled(page);
    await page.getByLabel('User', { exact: true }).selectOption('alice');
    const rows = page.locator('.audit-table tbody tr');
    await expect(rows.first()).toBeVisible();
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-user'))))).toEqual(new Set(['alice']));
    await expect(page.locator('.audit-table tbody tr', { hasText: 'crypto.sign' }).first()).toBeVisible();
    await page.getByLabel('HSM', { exact: true }).selectOption('1');
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-user')}@${tr.getAttribute('data-hsm')}`)))).toEqual(new Set(['alice@1']));

    // Closing a session: `quit` in session 3, the Close button on session 2 (which logs alice out).
    await submitLine(page, 'quit');
    await expect(page.getByRole('tab')).toHaveCount(2);
    await selectSession(page, 2);
    await page.getByRole('button', { name: 'Close Session 2' }).click();
    await expect(page.getByRole('tab')).toHaveCount(1);
    await expect(page.getByRole('tab', { name: /Session 1/ })).toHaveAttribute('aria-selected', 'true');
  });

  test('the file area holds what commands write, for download', async ({ page }) => {
    await openPage(page);
    await activateAndCreateAlice(page);
    await makeEcPair(page, 'f1');
    const written = await run(page, 'key generate-file --encoding pem --path f1.pem --filter attr.label=f1-pub');
    expect(written).toEqual({ error_code: 0, data: { message: 'Successfully generated key file' } });
    await settled(page);
    await page.locator('details.files summary').click();
    await expect(page.locator('#files-view tr[data-path="f1.pem"]')).toBeVisible();
    expect(await downloadedText(page, page.getByRole('button', { name: 'Download f1.pem' }))).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // An uploaded file can be signed with --data-path.
    await page.locator('#file-upload').setInputFiles({ name: 'msg.txt', mimeType: 'text/plain', buffer: Buffer.from('Hello, HSM!') });
    await expect(page.locator('#files-view tr[data-path="msg.txt"]')).toBeVisible();
    const byPath = await run(page, 'crypto sign ecdsa --key-filter attr.label=f1-priv --hash-function sha256 --data-path msg.txt');
    expect(byPath.error_code).toBe(0);
    const verified = await run(page, `crypto verify ecdsa --key-filter attr.label=f1-pub --hash-function sha256 --data ${DATA} --signature ${byPath.data.signature}`);
    expect(verified.error_code).toBe(0);
  });

  test('stop an HSM: signing goes on, a new key has partial coverage; start it: full again; add an HSM: in sync', async ({ page }) => {
    await openPage(page);
    await activateAndCreateAlice(page);
    await makeEcPair(page, 'ec1');
    await settled(page);

    await page.getByRole('button', { name: 'Stop HSM 1' }).click();
    await expect(page.locator('.hsm-card[data-index="1"]')).toHaveAttribute('data-live', 'false');
    const signed = await run(page, `crypto sign ecdsa --key-filter attr.label=ec1-priv --hash-function sha256 --data ${DATA}`);
    expect(signed.error_code).toBe(0);
    const made = await run(page, 'key generate-symmetric aes --label aes1 --key-length-bytes 32');
    expect(made.error_code).toBe(0);
    expect(made.data.key['key-info']['cluster-coverage']).toBe('partial');
    await settled(page);
    await expect(page.locator('.key-card[data-label="aes1"]')).toHaveAttribute('data-coverage', 'partial');
    await expect(page.locator('.key-card[data-label="aes1"] [data-field="per-hsm"]')).toHaveText('HSM 0: present, HSM 1: stopped');
    await screenshot(page, 'hsm-stopped-partial');

    await page.getByRole('button', { name: 'Start HSM 1' }).click();
    await expect(page.locator('.hsm-card[data-index="1"]')).toHaveAttribute('data-live', 'true', { timeout: 30_000 });
    await settled(page);
    const listed = await run(page, 'key list --verbose --filter attr.label=aes1');
    expect(listed.data.matched_keys[0]['key-info']['cluster-coverage']).toBe('full');
    await settled(page);
    await expect(page.locator('.key-card[data-label="aes1"]')).toHaveAttribute('data-coverage', 'full');
    await expect(page.locator('.key-card[data-label="aes1"] [data-field="per-hsm"]')).toHaveText('HSM 0: present, HSM 1: present');
    await expect(page.locator('#sync-badge')).toHaveText('in sync');

    await page.getByRole('button', { name: 'Add HSM' }).click();
    await expect(page.locator('.hsm-card')).toHaveCount(3, { timeout: 30_000 });
    await settled(page);
    await expect(page.locator('#sync-badge')).toHaveText('in sync');
    await expect(page.locator('.hsm-card[data-index="2"]')).toHaveAttribute('data-live', 'true');
    await expect(page.locator('.hsm-card[data-index="2"] [data-field="keys"]')).toHaveText('3');
    await expect(page.locator('.hsm-card[data-index="2"] [data-field="users"]')).toHaveText('3');
    const info = await run(page, 'cluster hsm-info');
    expect(info.data.hsms).toHaveLength(3);
    const signedOnThree = await run(page, `crypto sign ecdsa --key-filter attr.label=ec1-priv --hash-function sha256 --data ${DATA}`);
    expect(signedOnThree.error_code).toBe(0);
  });

  test('reload: users, keys and the cluster come back', async ({ page }) => {
    await openPage(page);
    await activateAndCreateAlice(page);
    const pair = await makeEcPair(page, 'kept');
    const reference = pair.data.private_key['key-reference'] as string;
    const clusterLine = await page.locator('#cluster-id').innerText();
    await settled(page);

    await page.reload();
    await waitUntilReady(page);
    await expect(page.locator('#page-status')).toContainText('Cluster reopened');
    await expect(page.locator('#cluster-id')).toHaveText(clusterLine);
    const users = await run(page, 'user list');
    expect(users.data.users.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['alice', 'crypto-user'],
      ['app_user', 'internal(APPLIANCE_USER)'],
    ]);
    expect((await run(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).error_code).toBe(0);
    const keys = await run(page, 'key list --filter attr.label=kept-priv');
    expect(keys.data.matched_keys.map((k: { 'key-reference': string }) => k['key-reference'])).toEqual([reference]);
    expect((await run(page, `crypto sign ecdsa --key-filter attr.label=kept-priv --hash-function sha256 --data ${DATA}`)).error_code).toBe(0);
  });

  test('export, reset, import: the cluster is back as it was; a tampered file is refused', async ({ page }) => {
    await openPage(page);
    await activateAndCreateAlice(page);
    const pair = await makeEcPair(page, 'exported');
    const reference = pair.data.private_key['key-reference'] as string;
    const clusterLine = await page.locator('#cluster-id').innerText();
    await settled(page);

    const text = await downloadedText(page, page.getByRole('button', { name: 'Export cluster' }));
    const file = JSON.parse(text);
    expect(file.format).toBe('hsm-playground-cluster');
    expect(file.hsms).toHaveLength(2);
    // No password or key material in clear: the passwords typed and the public point are absent.
    expect(text).not.toContain(ALICE_PASSWORD);
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain((pair.data.public_key.attributes['ec-point'] as string).slice(2, 40));

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Reset…' }).click();
    await expect(page.locator('#page-status')).toContainText('Resetting the cluster: done', { timeout: 30_000 });
    await settled(page);
    expect((await run(page, 'user list')).data.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'app_user']);
    await expect(page.locator('#cluster-id')).not.toHaveText(clusterLine);

    // A tampered file is refused, and the current cluster stays.
    const tampered = { ...file, hsms: file.hsms.map((h: { backup: string }, i: number) => (i === 0 ? { ...h, backup: h.backup.slice(0, 40) + (h.backup[40] === 'A' ? 'B' : 'A') + h.backup.slice(41) } : h)) };
    await page.locator('#import-file').setInputFiles({ name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) });
    await expect(page.locator('#page-status')).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
    await expect(page.locator('#page-status')).toContainText('modified or damaged after export');
    await settled(page);
    expect((await run(page, 'user list')).data.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'app_user']);

    // With a checksum recomputed to match, the HSM itself refuses the altered backup (it is authenticated).
    const { sha256: _old, ...body } = tampered;
    const resealed = { ...body, sha256: createHash('sha256').update(JSON.stringify(body)).digest('hex') };
    await page.locator('#import-file').setInputFiles({ name: 'resealed.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(resealed)) });
    await expect(page.locator('#page-status')).toContainText('Importing resealed.json failed', { timeout: 30_000 });
    await expect(page.locator('#page-status')).toContainText('backup was refused by the HSM');
    await settled(page);
    expect((await run(page, 'user list')).data.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'app_user']);

    await page.locator('#import-file').setInputFiles({ name: 'cluster.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.locator('#page-status')).toContainText('Importing cluster.json: done', { timeout: 30_000 });
    await settled(page);
    await expect(page.locator('#cluster-id')).toHaveText(clusterLine);
    expect((await run(page, 'user list')).data.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'alice', 'app_user']);
    expect((await run(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).error_code).toBe(0);
    const keys = await run(page, 'key list --filter attr.label=exported-priv');
    expect(keys.data.matched_keys.map((k: { 'key-reference': string }) => k['key-reference'])).toEqual([reference]);
    expect((await run(page, `crypto sign ecdsa --key-filter attr.label=exported-priv --hash-function sha256 --data ${DATA}`)).error_code).toBe(0);
    await settled(page);
    await expect(page.locator('#sync-badge')).toHaveText('in sync');
  });

  test('settings: a new cluster with the chosen HSM count and model, kept across reloads', async ({ page }) => {
    await openPage(page);
    await page.getByText('New cluster settings').click();
    await page.getByLabel('HSMs in a new cluster').fill('3');
    await page.getByLabel('HSM model').selectOption('hsm1.medium');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Save and create a new cluster…' }).click();
    await expect(page.locator('.hsm-card')).toHaveCount(3, { timeout: 30_000 });
    await settled(page);
    await expect(page.locator('.hsm-card dd', { hasText: 'hsm1.medium' })).toHaveCount(3);
    expect((await run(page, 'user list')).data.users.map((u: { role: string }) => u.role)).toEqual(['unactivated-admin', 'internal(APPLIANCE_USER)']);
    await page.reload();
    await waitUntilReady(page);
    await expect(page.locator('.hsm-card')).toHaveCount(3);
    await expect(page.getByLabel('HSMs in a new cluster')).toHaveValue('3');
    await expect(page.getByLabel('HSM model')).toHaveValue('hsm1.medium');
  });
});
