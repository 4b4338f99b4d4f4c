/**
 * Renders reports in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core). Skips when Chromium is not installed; .ci/run installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { scan } from '../../src/pipeline.js';
import { renderHtml } from '../../src/report/html.js';
import { MAX_POINTS, PAGE_SIZE } from '../../src/report/html/app.js';
import { readProfile } from '../../src/runtime/read-profile.js';
import { fixture, REPO } from '../helpers.js';
import { hostileRepo, syntheticReport } from './synthetic.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO, 'test-results');

describe.skipIf(!existsSync(CHROMIUM))('HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let profileDir: string;
  let outDir: string;
  const requests: string[] = [];

  beforeAll(async () => {
    profileDir = mkdtempSync(join(tmpdir(), 'rustscout-chromium-'));
    outDir = mkdtempSync(join(tmpdir(), 'rustscout-html-'));
    mkdirSync(SHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Opens a report and collects console errors, page errors and dialogs while it runs. */
  async function open(report: Report, name: string): Promise<{ page: Page; problems: string[] }> {
    const file = join(outDir, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return { page, problems };
  }

  const columnTexts = (page: Page, key: string): Promise<string[]> =>
    page.$$eval(`#modules th`, (ths, k) => {
      const index = ths.findIndex((th) => (th as HTMLElement).dataset.key === k);
      return [...document.querySelectorAll('#modules tbody tr')].map((tr) => (tr.children[index] as HTMLElement).textContent ?? '');
    }, key);

  it('plots one point per module, sorts, filters, and opens evidence by click and keyboard', async () => {
    const report = await scan(fixture('webapp-with-kernel'), { excerpts: true });
    const { page, problems } = await open(report, 'webapp');
    expect(await page.locator('#scatter circle.point').count()).toBe(report.modules.length);
    const plotted = await page.$$eval('#scatter circle.point', (cs) => cs.map((c) => c.getAttribute('aria-label')!.split(':')[0]).sort());
    expect(plotted).toEqual(report.modules.map((m) => m.path).sort());

    // Sorting: score descending by default; one click on the header flips it.
    const scores = async (): Promise<number[]> => (await columnTexts(page, 'score')).map(Number);
    const before = await scores();
    expect(before).toEqual([...before].sort((a, b) => b - a));
    await page.click('#modules th[data-key="score"] button');
    const after = await scores();
    expect(after).toEqual([...after].sort((a, b) => a - b));
    expect(await page.getAttribute('#modules th[data-key="score"]', 'aria-sort')).toBe('ascending');
    await page.click('#modules th[data-key="path"] button');
    const paths = await columnTexts(page, 'path');
    expect(paths).toEqual([...paths].sort());

    // Filtering by text and by verdict.
    await page.fill('#filter-text', 'views/');
    await page.waitForFunction(() => document.querySelectorAll('#modules tbody tr').length === 3);
    expect((await columnTexts(page, 'path')).every((p) => p.includes('views/'))).toBe(true);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-verdict', 'pyo3-extension');
    await page.waitForFunction(() => document.querySelectorAll('#modules tbody tr').length === 1);
    expect(await columnTexts(page, 'path')).toEqual(['shopfront/imaging/filters.py']);
    await page.selectOption('#filter-verdict', '');

    // A click on a point shows that module's evidence, with code and line numbers.
    await page.click('#scatter circle.point[aria-label^="shopfront/views/uploads.py"]');
    await expect.poll(() => page.textContent('#evidence h3')).toBe('shopfront/views/uploads.py');
    await page.click('#scatter circle.point[aria-label^="shopfront/imaging/filters.py"]', { force: true });
    await expect.poll(() => page.textContent('#evidence h3')).toBe('shopfront/imaging/filters.py');
    const code = await page.$$eval('#evidence pre.code .row:not(.gap)', (rows) => rows.map((r) => r.textContent));
    expect(code).toContain('13def box_blur(pixels: list, width: int, height: int, radius: int = 1) -> list:');
    expect(await page.locator('#evidence table.reasons tbody tr').count()).toBeGreaterThan(0);

    // Keyboard: focus a point and press Enter.
    await page.focus('#scatter circle.point[aria-label^="shopfront/models.py"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#evidence h3')).toBe('shopfront/models.py');

    await page.click('#scatter circle.point[aria-label^="shopfront/imaging/filters.py"]', { force: true });
    await page.screenshot({ path: join(SHOTS, 'html-report-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: join(SHOTS, 'html-report-dark.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('shows measured time and the Amdahl ceiling next to the static evidence', async () => {
    const report = await scan(fixture('webapp-with-kernel'), { excerpts: true, profiles: [await readProfile(join(REPO, 'fixtures/profiles/webapp-catalogue.scalene.json'))] });
    const { page, problems } = await open(report, 'runtime');
    expect(await page.locator('#modules th[data-key="measured"]').count()).toBe(1);
    await page.click('#scatter circle.point[aria-label^="shopfront/imaging/filters.py"]', { force: true });
    const evidence = (await page.textContent('#evidence'))!;
    expect(evidence).toMatch(/Amdahl ceiling1\.01× at best/);
    expect(evidence).toMatch(/downgraded \(static verdict: pyo3-extension\)/);
    expect(evidence).toMatch(/negligible-ceiling/);
    expect(await page.textContent('#runtime-note')).toMatch(/webapp-catalogue\.scalene\.json/);
    await page.screenshot({ path: join(SHOTS, 'html-report-runtime.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders hostile file names and code as text', async () => {
    const report = await scan(hostileRepo(), { excerpts: true });
    const { page, problems } = await open(report, 'hostile');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2);
    const paths = await columnTexts(page, 'path');
    expect(paths).toContain('<img src=x onerror=alert(1)>/new\nline.py');
    const kernel = report.modules.find((m) => m.path.includes('k"e'))!;
    await page.click(`#modules tbody tr:nth-child(${paths.indexOf(kernel.path) + 1})`);
    await expect.poll(() => page.textContent('#evidence h3')).toBe(kernel.path);
    expect(await page.textContent('#evidence pre.code')).toContain('</script><script>alert(2)</script><!--');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('stays usable with 20,000 modules: bounded plot, paginated table', async () => {
    const template = (await scan(fixture('webapp-with-kernel'), { excerpts: true })).modules.find((m) => m.path === 'shopfront/imaging/filters.py')!;
    const report = syntheticReport(20_000, template);
    const { page, problems } = await open(report, 'large');
    const circles = await page.locator('#scatter circle.point').count();
    expect(circles).toBe(MAX_POINTS);
    const candidates = report.modules.filter((m) => m.verdict !== 'keep-python').length;
    expect(await page.locator('#scatter circle.point.v-pyo3-extension, #scatter circle.point.v-move-to-rust').count()).toBe(candidates);
    expect(await page.textContent('#plot-note')).toMatch(/Showing 4000 of 20000 modules/);
    expect(await page.locator('#modules tbody tr').count()).toBe(PAGE_SIZE);
    expect(await page.textContent('#page-info')).toBe('rows 1–100 of 20000');
    await page.click('#next');
    expect(await page.textContent('#page-info')).toBe('rows 101–200 of 20000');
    await page.fill('#filter-text', 'pkg007/sub3/');
    await page.waitForFunction(() => /of \d+ \(filtered/.test(document.getElementById('page-info')!.textContent ?? ''));
    const shown = await columnTexts(page, 'path');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((p) => p.startsWith('pkg007/sub3/'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
