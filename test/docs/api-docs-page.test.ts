// GET /docs in a real headless Chromium: every operation of every API the app serves is on the page,
// nothing fails in the console, and "try it" gets a token through the page's client-credentials flow
// and calls the running service with it.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePglite } from '../database/describe-each-database.ts';
import { TEST_CLIENT } from '../support/test-auth.ts';
import { buildTestApp } from '../support/test-app.ts';
import {
  ARTIFACTS_DIR,
  browserRequired,
  CHROMIUM_PATH,
  chromiumAvailable,
  launchChromium,
  type Browser,
} from './browser.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const skip = !chromiumAvailable && !browserRequired;
if (skip) {
  console.warn(
    `Skipping the /docs browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

describePglite('GET /docs in Chromium', (db) => {
  let app: FastifyInstance;
  let origin: string;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (skip) return;
    if (!chromiumAvailable) throw new Error(`Browser tests are required but ${CHROMIUM_PATH} is missing`);
    app = await buildTestApp(db.pool);
    await app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openPage(url: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.location().url}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().includes('/v1/'))
        consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    page.setDefaultTimeout(15_000);
    await page.goto(url, { waitUntil: 'networkidle' });
    return page;
  }

  it.skipIf(skip)(
    'renders every operation of every served API, with no console errors',
    async () => {
      const served = ['profile', 'oauth'];
      for (const name of served) {
        const document = (await (await fetch(`${origin}/docs/openapi/${name}.json`)).json()) as {
          info: { title: string };
          paths: Record<string, Record<string, { summary: string }>>;
        };
        const page = await openPage(`${origin}/docs/?api=${name}`);
        await expect.poll(() => page.locator('h1').first().innerText()).toBe(document.info.title);
        const text = await page.locator('body').innerText();
        for (const [route, item] of Object.entries(document.paths)) {
          for (const method of METHODS.filter((m) => item[m])) {
            expect(text, `${name}: ${method.toUpperCase()} ${route}`).toContain(item[method]!.summary);
          }
        }
        await page.close();
      }
      expect(consoleErrors).toEqual([]);
    },
    90_000,
  );

  it.skipIf(skip)(
    'calls GET /v1/profiles from the page with a client-credentials token',
    async () => {
      const page = await openPage(`${origin}/docs/?api=profile`);
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
      try {
        // The fields are editable divs, not inputs: focus one by its placeholder, then type.
        await page.locator('[contenteditable][data-placeholder="12345"]').first().click();
        await page.keyboard.type(TEST_CLIENT.id);
        await page.locator('[data-placeholder="XYZ123"], input[placeholder="XYZ123"]').first().click();
        await page.keyboard.type(TEST_CLIENT.secret);
        const token = page.waitForResponse((response) => response.url() === `${origin}/oauth/token`);
        await page.getByRole('button', { name: 'Authorize' }).first().click();
        expect((await token).status()).toBe(200);

        // The innermost section holding the operation's heading is the operation's own.
        const operation = page
          .locator('section')
          .filter({ has: page.getByRole('heading', { name: 'List profiles, newest first' }) })
          .last();
        await operation.scrollIntoViewIfNeeded();
        await operation.getByRole('button', { name: /Test Request/ }).click();
        const listed = page.waitForResponse(
          (response) =>
            response.url().startsWith(`${origin}/v1/profiles`) && response.request().method() === 'GET',
        );
        await page.getByRole('button', { name: /^Send/ }).first().click();
        const response = await listed;
        expect(response.status()).toBe(200);
        expect(response.request().headers()['authorization']).toMatch(/^Bearer /);
        await expect.poll(() => page.locator('body').innerText()).toContain('200');
      } catch (error) {
        await shot('api-docs-try-it-failed');
        throw error;
      }
      await shot('api-docs-try-it');
      expect(consoleErrors).toEqual([]);
    },
    90_000,
  );
});
