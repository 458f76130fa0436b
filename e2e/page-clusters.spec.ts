/**
 * Several clusters on the page (issue 4): a crypto user's key made in cluster 1, a clone of
 * cluster 1 made from a backup, `--cluster-id` routing to the same user's session on the clone,
 * `key replicate` from cluster 1 to the clone (seen in the clone's key inspector), an unrelated new
 * cluster refusing the masked object, and a reload bringing every cluster back.
 * @module
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, ALICE_PASSWORD, openPage, run, selectSession, settled, waitUntilReady } from './page-driver.ts';

function picker(page: Page): Locator {
  return page.getByLabel('Current cluster');
}

/** Presses a cluster button and waits for the new cluster's session tab (the picker then shows it). */
async function clusterButton(page: Page, name: string, expected: string): Promise<void> {
  const tabs = page.getByRole('tab');
  const before = await tabs.count();
  await page.getByRole('button', { name }).click();
  await expect(tabs).toHaveCount(before + 1, { timeout: 30_000 });
  await expect(picker(page)).toHaveValue(expected);
  await settled(page);
}

test('clusters: clone, --cluster-id, key replicate to the clone, refusal by an unrelated cluster, reload', async ({ page }) => {
  await openPage(page);
  await expect(picker(page)).toHaveValue('cluster-1');
  await expect(page.getByRole('tab', { name: /^Session 1\b/ })).toContainText('@cluster-1');

  // Cluster 1: activate, an admin makes alice, alice (Session 2) makes a key.
  expect((await run(page, `cluster activate --password ${ADMIN_PASSWORD}`)).error_code).toBe(0);
  expect((await run(page, `login --username admin --role admin --password ${ADMIN_PASSWORD}`)).error_code).toBe(0);
  expect((await run(page, `user create --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).error_code).toBe(0);
  await page.getByRole('button', { name: 'New session' }).click();
  await expect(page.getByRole('tab', { name: /^Session 2\b/ })).toContainText('@cluster-1');
  expect((await run(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).error_code).toBe(0);
  expect((await run(page, 'key generate-symmetric aes --label before-clone --key-length-bytes 32')).error_code).toBe(0);

  // The clone (cluster-2) is restored from a backup: it already holds alice and her first key.
  await clusterButton(page, 'Clone this cluster', 'cluster-2');
  await expect(picker(page).locator('option')).toHaveText(['cluster-1 · 2 HSMs', 'cluster-2 · 2 HSMs · clone of cluster-1']);
  await expect(page.getByRole('tab', { name: /^Session 3\b/ })).toContainText('@cluster-2');
  expect((await run(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).error_code).toBe(0);
  const cloned = await run(page, 'key list --filter attr.label=before-clone');
  expect(cloned.error_code).toBe(0);
  expect(cloned.data.total_key_count).toBe(1);

  // Back in cluster 1 (selecting Session 2 makes cluster-1 current): a key made after the clone.
  await selectSession(page, 2, { settle: true });
  await expect(picker(page)).toHaveValue('cluster-1');
  expect((await run(page, 'key generate-symmetric aes --label after-clone --key-length-bytes 32')).error_code).toBe(0);
  // --cluster-id runs in alice's session on the clone, which does not hold the new key yet.
  const notYet = await run(page, 'key list --filter attr.label=after-clone --cluster-id cluster-2');
  expect(notYet.error_code).toBe(0);
  expect(notYet.data.total_key_count).toBe(0);

  const replicated = await run(page, 'key replicate --filter attr.label=after-clone --source-cluster-id cluster-1 --destination-cluster-id cluster-2');
  expect(replicated.error_code, JSON.stringify(replicated)).toBe(0);
  expect(replicated.data.message).toBe('Successfully replicated key');
  expect(replicated.data.key.attributes.label).toBe('after-clone');
  const there = await run(page, 'key list --filter attr.label=after-clone --cluster-id cluster-2');
  expect(there.data.total_key_count).toBe(1);

  // The clone's key inspector (as alice in Session 3) shows the replicated key.
  await selectSession(page, 3, { settle: true });
  await expect(picker(page)).toHaveValue('cluster-2');
  await expect(page.locator('#keys-view')).toContainText('after-clone');

  // A new, unrelated cluster (cluster-3) refuses the masked object.
  await clusterButton(page, 'New cluster', 'cluster-3');
  await expect(picker(page).locator('option')).toHaveText(['cluster-1 · 2 HSMs', 'cluster-2 · 2 HSMs · clone of cluster-1', 'cluster-3 · 2 HSMs']);
  await selectSession(page, 2, { settle: true });
  const refused = await run(page, 'key replicate --filter attr.label=after-clone --source-cluster-id cluster-1 --destination-cluster-id cluster-3');
  expect(refused.error_code).toBe(1);
  expect(String(refused.data)).toContain('it can only be inserted into the same cluster or a clone');
  // A replicate typed on a cluster other than the source is refused by the page.
  await selectSession(page, 3, { settle: true });
  const wrongSource = await run(page, 'key replicate --filter attr.label=after-clone --source-cluster-id cluster-1 --destination-cluster-id cluster-2');
  expect(wrongSource.error_code).toBe(1);
  expect(String(wrongSource.data)).toContain('not on the source cluster cluster-1');

  // Reload: every cluster comes back, the current one still current, and the clone still holds the key.
  await page.reload();
  await waitUntilReady(page);
  await expect(page.locator('#page-status')).toContainText('3 clusters reopened');
  await expect(picker(page).locator('option')).toHaveText(['cluster-1 · 2 HSMs', 'cluster-2 · 2 HSMs · clone of cluster-1', 'cluster-3 · 2 HSMs']);
  await expect(picker(page)).toHaveValue('cluster-2');
  await expect(page.getByRole('tab', { name: /^Session 1\b/ })).toContainText('@cluster-2');
  expect((await run(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).error_code).toBe(0);
  expect((await run(page, 'key list --filter attr.label=after-clone')).data.total_key_count).toBe(1);

  // Choosing cluster-1 in the picker opens a session on it; removing cluster-3 drops it from the list.
  await picker(page).selectOption('cluster-3');
  await expect(page.getByRole('tab', { name: /^Session 2\b/ })).toContainText('@cluster-3');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Remove cluster…' }).click();
  await expect(picker(page).locator('option')).toHaveText(['cluster-1 · 2 HSMs', 'cluster-2 · 2 HSMs · clone of cluster-1']);
  await expect(page.getByRole('tab', { name: /^Session 2\b/ })).toHaveCount(0);
  await expect(page.locator('#current-cluster-name')).toHaveText(' (cluster-1)');
});

test('a seeded visit keeps its clusters in memory: a clone works and nothing is saved', async ({ page }) => {
  await openPage(page, '/?seed=clusters');
  expect((await run(page, `cluster activate --password ${ADMIN_PASSWORD}`)).error_code).toBe(0);
  await clusterButton(page, 'Clone this cluster', 'cluster-2');
  expect((await run(page, `login --username admin --role admin --password ${ADMIN_PASSWORD}`)).error_code).toBe(0);
  await expect(picker(page).locator('option')).toHaveText(['cluster-1 · 2 HSMs', 'cluster-2 · 2 HSMs · clone of cluster-1']);
  expect(await page.evaluate(() => [localStorage.getItem('hsm-playground.clusters'), localStorage.getItem('hsm-playground.cluster-record')])).toEqual([null, null]);
});
