// End-to-end tests of the web UI in a real browser (Debian's Chromium, driven by
// playwright-core). They run against a demo county served by `anjian serve --demo`:
//   ANJIAN_E2E_URL=http://127.0.0.1:18098 node --test tests.mjs
// Screenshots of each role's home at 1400 px and 390 px are written to e2e/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.ANJIAN_E2E_URL ?? 'http://127.0.0.1:18098';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'anjian2022';
const OUT = new URL('./out/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
});

async function login(user, width = 1400) {
  const ctx = await browser.newContext({
    viewport: { width, height: width > 600 ? 900 : 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.ok(!page.url().includes('/login'), `${user} is logged in (at ${page.url()})`);
  return { ctx, page };
}

async function sidebarLinks(page) {
  return page.$$eval('nav.sidebar a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
}

async function apiToken(user) {
  const r = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password: PASSWORD }),
  });
  assert.equal(r.status, 200, `API login ${user}`);
  return (await r.json()).token;
}

async function api(token, path) {
  const r = await fetch(`${BASE}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, `GET ${path}`);
  return r.json();
}

// What each demo account must and must not find in its menu.
const ROLES = {
  admin: { has: ['/users', '/settings', '/audit', '/plans', '/metrics', '/enterprises'], hasNot: [] },
  leader: { has: ['/metrics', '/ranking', '/cases'], hasNot: ['/users', '/settings', '/audit'] },
  yingji: { has: ['/plans', '/draws', '/cases', '/metrics'], hasNot: ['/users', '/settings'] },
  zhifa: { has: ['/inspections', '/cases', '/plans'], hasNot: ['/users', '/settings'] },
  xiangzhen: { has: ['/commissions', '/hazards', '/metrics'], hasNot: ['/plans', '/draws', '/users'] },
  qiye: { has: ['/hazards/new', '/hazards', '/inspections'], hasNot: ['/plans', '/metrics', '/regions', '/ranking', '/users'] },
  paizhu: { has: ['/enterprises', '/hazards'], hasNot: ['/plans', '/metrics', '/hazards/new', '/cases', '/users'] },
};

test('each role logs in, gets its own menu, and every menu link opens', async () => {
  for (const [user, want] of Object.entries(ROLES)) {
    const { ctx, page } = await login(user);
    const links = await sidebarLinks(page);
    const hrefs = links.map(([h]) => h);
    for (const h of want.has) assert.ok(hrefs.includes(h), `${user} has ${h}: ${hrefs}`);
    for (const h of want.hasNot) assert.ok(!hrefs.includes(h), `${user} must not have ${h}`);
    if (user === 'qiye') {
      assert.ok(hrefs.some((h) => /^\/enterprises\/\d+$/.test(h)), 'the enterprise opens its own record');
    }
    // No dead ends: every link of the menu opens a page (no 403/404/500).
    for (const h of hrefs) {
      const r = await page.goto(`${BASE}${h}`);
      assert.ok(r.status() < 400, `${user}: ${h} answered ${r.status()}`);
    }
    await page.goto(`${BASE}/`);
    await page.screenshot({ path: `${OUT}/${user}-1400.png` });
    await ctx.close();
  }
});

test('phone width: no sideways scrolling, the menu opens from the top bar', async () => {
  for (const user of Object.keys(ROLES)) {
    const { ctx, page } = await login(user, 390);
    for (const path of ['/', '/hazards', '/todos']) {
      await page.goto(`${BASE}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${user} ${path} scrolls sideways by ${overflow}px`);
    }
    await page.goto(`${BASE}/`);
    await page.screenshot({ path: `${OUT}/${user}-390.png` });
    assert.equal(await page.isVisible('nav.sidebar'), false, 'the sidebar is folded away');
    await page.click('label.menu-button');
    assert.equal(await page.isVisible('nav.sidebar'), true, 'the menu button opens it');
    const box = await page.locator('nav.sidebar a').first().boundingBox();
    assert.ok(box && box.height >= 40, `touch target ${box?.height}px tall`);
    await ctx.close();
  }
});

test('a refused form keeps what was typed and marks the field', async () => {
  const { ctx, page } = await login('zhifa');
  await page.goto(`${BASE}/hazards/new`);
  const typed = '二号仓库消防通道被货物堵塞（浏览器测试）';
  await page.fill('textarea[name=description]', typed);
  await page.fill('input[name=location]', '二号仓库东侧');
  // No region and no sector chosen: refused.
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.equal(await page.inputValue('textarea[name=description]'), typed);
  assert.equal(await page.inputValue('input[name=location]'), '二号仓库东侧');
  assert.ok(await page.isVisible('.field.invalid'), 'the bad field is marked');
  await ctx.close();
});

async function act(page, action, fill = {}) {
  const form = page.locator(`form:has(input[name=action][value="${action}"])`).first();
  assert.ok((await form.count()) > 0, `the ${action} step is offered at ${page.url()}`);
  for (const [name, value] of Object.entries(fill)) {
    await form.locator(`[name=${name}]`).fill(value);
  }
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  const error = await page.locator('.alert.error').allTextContents();
  assert.deepEqual(error, [], `${action}: ${error}`);
}

test('the hazard loop across two roles: inspector registers and orders, enterprise rectifies, inspector closes', async () => {
  const qiye = await apiToken('qiye');
  const me = await api(qiye, '/me');
  const entId = me.enterprise_id;
  assert.ok(entId, `qiye's enterprise: ${JSON.stringify(me)}`);
  const admin = await apiToken('admin');
  const ent = await api(admin, `/enterprises/${entId}`);

  // The inspector registers a hazard found at the enterprise and orders rectification.
  const insp = await login('zhifa');
  await insp.page.goto(`${BASE}/hazards/new`);
  const description = `储罐区可燃气体报警器失效（浏览器测试 ${Date.now()}）`;
  await insp.page.fill('textarea[name=description]', description);
  const regions = await insp.page.$$eval('select[name=region_code] option', (os) => os.map((o) => o.value));
  const township = `${ent.region_code.slice(0, 9)}000`;
  await insp.page.selectOption('select[name=region_code]', regions.includes(ent.region_code) ? ent.region_code : township);
  await insp.page.selectOption('select[name=sector]', ent.sectors[0]);
  await insp.page.fill('input[name=enterprise_id]', String(entId));
  await insp.page.fill('input[name=location]', '储罐区');
  await Promise.all([insp.page.waitForNavigation(), insp.page.click('main form button[type=submit]')]);
  const m = insp.page.url().match(/\/hazards\/(\d+)/);
  assert.ok(m, `registered: now at ${insp.page.url()}: ${await insp.page.locator('.alert').allTextContents()}`);
  const hazard = `${BASE}/hazards/${m[1]}`;
  await act(insp.page, 'order', { deadline_days: '5' });

  // The enterprise sees it, uploads evidence, starts and reports completion.
  const ent1 = await login('qiye');
  await ent1.page.goto(`${BASE}/hazards`);
  assert.ok((await ent1.page.content()).includes(description.slice(0, 12)), 'in the enterprise list');
  await ent1.page.goto(hazard);
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const upload = ent1.page.locator('form[enctype="multipart/form-data"]').first();
  await upload.locator('input[type=file]').setInputFiles({ name: '整改后.png', mimeType: 'image/png', buffer: png });
  await Promise.all([ent1.page.waitForNavigation(), upload.locator('button[type=submit]').click()]);
  await ent1.page.goto(hazard);
  if ((await ent1.page.locator('form:has(input[name=action][value="start"])').count()) > 0) {
    await act(ent1.page, 'start');
  }
  await act(ent1.page, 'report', { note: '已更换报警器并校验' });

  // The inspector reviews and closes it.
  await insp.page.goto(hazard);
  await act(insp.page, 'pass', { note: '复查合格' });
  const token = await apiToken('zhifa');
  const h = await api(token, `/hazards/${m[1]}`);
  assert.equal(h.status, 'closed', `closed: ${h.status}`);
  await insp.page.screenshot({ path: `${OUT}/hazard-closed.png`, fullPage: true });
  await insp.ctx.close();
  await ent1.ctx.close();
});
