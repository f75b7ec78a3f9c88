// End-to-end tests of the web UI in a real browser (Debian's Chromium, driven by
// playwright-core). They run against a demo county served by `anjian serve --demo`:
//   ANJIAN_E2E_URL=http://127.0.0.1:18098 node --test tests.mjs
// Screenshots of each role's home at 1400 px and 390 px, and of the field roles' work on a
// phone, are written to e2e/out/ (or ANJIAN_E2E_OUT).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.ANJIAN_E2E_URL ?? 'http://127.0.0.1:18098';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'anjian2022';
const OUT = process.env.ANJIAN_E2E_OUT ?? new URL('./out/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
});

async function login(user, width = 1400, touch = false) {
  const ctx = await browser.newContext({
    viewport: { width, height: width > 600 ? 900 : 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    hasTouch: touch,
    isMobile: touch,
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
  xiangzhen: { has: ['/commissions', '/hazards', '/metrics', '/station/coverage', '/station/roster', '/training', '/forest', '/forest/patrols', '/forest/equipment'], hasNot: ['/plans', '/draws', '/users'] },
  qiye: { has: ['/hazards/new', '/hazards', '/inspections'], hasNot: ['/plans', '/metrics', '/regions', '/ranking', '/users'] },
  paizhu: { has: ['/enterprises', '/hazards', '/station'], hasNot: ['/plans', '/metrics', '/hazards/new', '/cases', '/users'] },
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

test('an evaluation\'s ranking keeps unit names on one line at 1400 px and 390 px (item titles wrap, the table scrolls in its card)', async () => {
  for (const width of [1400, 390]) {
    const { ctx, page } = await login('admin', width);
    await page.goto(`${BASE}/assessments`);
    const hrefs = await page.$$eval('a[href^="/assessments/"]', (as) => as.map((a) => a.getAttribute('href')));
    const evaluations = hrefs.filter((h) => /^\/assessments\/\d+$/.test(h));
    assert.ok(evaluations.length > 0, 'the demo has evaluations');
    for (const h of evaluations) {
      await page.goto(`${BASE}${h}`);
      const cells = await page.$$eval('table.ranking td.unit', (tds) =>
        tds.map((td) => {
          const a = td.querySelector('a');
          const lh = parseFloat(getComputedStyle(a).lineHeight) || 22;
          return { name: a.textContent.trim(), lines: a.getBoundingClientRect().height / lh, cut: td.scrollWidth - td.clientWidth };
        }));
      assert.ok(cells.length > 0, `${h} ranks units`);
      for (const c of cells) {
        assert.ok(c.lines < 1.5 && c.cut <= 1, `${width}px ${h}: ${c.name} wraps or is cut (${JSON.stringify(c)})`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${width}px ${h}: the page scrolls sideways by ${overflow}px`);
    }
    await page.screenshot({ path: `${OUT}/assessment-${width}.png` });
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
  const upload = ent1.page.locator('form[action$="/upload"]');
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

// The field roles on a phone (390 × 844, touch): the township registers a hazard, the
// inspector fills a checklist, the enterprise reports its rectification with a photo. Each
// page fits the screen's width and its controls are touch-sized (at least 40 px tall).

const PHONE = 390;

/** A phone in the hand of `user`. */
const phone = (user) => login(user, PHONE, true);

async function fitsThePhone(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE, `${what}: the page is ${width}px wide on a ${PHONE}px phone`);
  // Nothing the user fills in or reads as a label is cut off at the right edge either (a card
  // scrolls what overflows it, so the page's width alone does not tell); a wide table that
  // scrolls sideways on purpose does not count.
  const cut = await page.evaluate((w) =>
    [...document.querySelectorAll('main input, main select, main textarea, main button, main label')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.right > w + 1 && !e.closest('table');
      })
      .map((e) => `${e.tagName.toLowerCase()} ${e.getAttribute('name') ?? e.textContent.trim().slice(0, 24)} (right edge ${Math.round(e.getBoundingClientRect().right)}px)`),
  PHONE);
  assert.deepEqual(cut, [], `${what}: controls cut off at the right edge`);
}

async function touchSized(locator, what) {
  const n = await locator.count();
  assert.ok(n > 0, `${what}: no controls found`);
  for (let i = 0; i < n; i++) {
    const el = locator.nth(i);
    if (!(await el.isVisible())) continue;
    const box = await el.boundingBox();
    const name = await el.evaluate((e) => e.getAttribute('name') || e.textContent.trim() || e.tagName);
    assert.ok(box && box.height >= 40, `${what}: "${name}" is ${box?.height}px tall, under 40px`);
  }
}

async function tapAndWait(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.tap()]);
  const error = await page.locator('.alert.error').allTextContents();
  assert.deepEqual(error, [], `refused at ${page.url()}: ${error}`);
}

/** A date `days` from today, as a date input takes it. */
function daysAhead(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('phone: the township registers a hazard', async () => {
  const { ctx, page } = await phone('xiangzhen');
  await page.goto(`${BASE}/hazards/new`);
  await fitsThePhone(page, 'the registration form');
  const form = page.locator('main form[method=post]');
  await touchSized(form.locator('input:not([type=hidden]), select, textarea, button, a.btn'), 'the registration form');
  const description = `村道边废弃液化气钢瓶堆放（手机登记 ${Date.now()}）`;
  await form.locator('textarea[name=description]').tap();
  await form.locator('textarea[name=description]').fill(description);
  const pick = async (name) => {
    const values = await form.locator(`select[name=${name}] option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(values.length > 0, `${name} offers choices`);
    await form.locator(`select[name=${name}]`).selectOption(values[values.length > 1 ? 1 : 0]);
  };
  await pick('region_code');
  await pick('sector');
  await form.locator('input[name=location]').fill('村委会东侧路口');
  await form.locator('input[name=deadline]').fill(daysAhead(7));
  await page.screenshot({ path: `${OUT}/phone-hazard-form.png`, fullPage: true });
  await tapAndWait(page, form.locator('button[type=submit]'));
  const m = page.url().match(/\/hazards\/(\d+)/);
  assert.ok(m, `registered: now at ${page.url()}`);
  assert.ok((await page.content()).includes(description), 'the hazard page shows what was registered');
  await fitsThePhone(page, 'the hazard page');
  await page.screenshot({ path: `${OUT}/phone-hazard-registered.png`, fullPage: true });
  await ctx.close();
});

test('phone: the inspector answers every checklist item and saves', async () => {
  const admin = await apiToken('admin');
  const qiye = await apiToken('qiye');
  const ent = await api(admin, `/enterprises/${(await api(qiye, '/me')).enterprise_id}`);
  const { ctx, page } = await phone('zhifa');
  await page.goto(`${BASE}/inspections/new`);
  // The checklist of the enterprise's sector, loaded with the enterprise.
  const loader = page.locator('main form[method=get]');
  const templates = await loader.locator('select[name=template_id] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const wanted = { hazchem: '危险化学品', mines: '非煤矿山', fireworks: '烟花爆竹', industry_trade: '工贸' }[ent.sectors[0]] ?? '危险化学品';
  const template = templates.find(([v, t]) => v && t.includes(wanted));
  assert.ok(template, `a ${wanted} checklist among ${templates}`);
  await loader.locator('select[name=template_id]').selectOption(template[0]);
  await loader.locator('input[name=enterprise_id]').fill(ent.name);
  await tapAndWait(page, loader.locator('button[type=submit]'));
  await fitsThePhone(page, 'the inspection form with its checklist');
  const form = page.locator('main form[method=post]');
  if (!(await form.locator('input[name=enterprise_id]').inputValue())) {
    await form.locator('input[name=enterprise_id]').fill(ent.name);
  }
  const items = form.locator('table.checklist tbody tr');
  const n = await items.count();
  assert.ok(n > 0, 'the checklist has items');
  await touchSized(form.locator('table.checklist label.choice'), 'the checklist answers');
  for (let i = 0; i < n; i++) {
    const item = items.nth(i);
    // The last item does not apply; the others pass.
    const choice = item.locator('label.choice').nth(i === n - 1 ? 2 : 0);
    await choice.scrollIntoViewIfNeeded();
    await choice.tap();
    assert.ok(await choice.locator('input[type=radio]').isChecked(), `item ${i + 1} answered by a tap`);
  }
  await items.first().locator('input[name^="note."]').fill('证照齐全，在有效期内');
  // Two officers from the roster, by a tap on their names (an expired certificate cannot be ticked).
  const officers = form.locator('input[name=officer_ids]:not([disabled])');
  assert.ok((await officers.count()) >= 2, 'the roster offers two officers with valid certificates');
  await touchSized(form.locator('label:has(input[name=officer_ids]:not([disabled]))'), 'the officers on the roster');
  for (let i = 0; i < 2; i++) {
    const label = form.locator('label:has(input[name=officer_ids]:not([disabled]))').nth(i);
    await label.scrollIntoViewIfNeeded();
    await label.tap();
    assert.ok(await officers.nth(i).isChecked(), `officer ${i + 1} ticked by a tap`);
  }
  await page.screenshot({ path: `${OUT}/phone-inspection-form.png`, fullPage: true });
  await touchSized(form.locator('button[type=submit]'), 'the save button');
  await tapAndWait(page, form.locator('button[type=submit]'));
  const m = page.url().match(/\/inspections\/(\d+)$/);
  assert.ok(m, `saved: now at ${page.url()}`);
  await fitsThePhone(page, 'the inspection record');
  await page.screenshot({ path: `${OUT}/phone-inspection-saved.png`, fullPage: true });
  await ctx.close();
});

test('phone: the enterprise reports its rectification with a photo in one submission', async () => {
  const qiye = await apiToken('qiye');
  const zhifa = await apiToken('zhifa');
  const admin = await apiToken('admin');
  const ent = await api(admin, `/enterprises/${(await api(qiye, '/me')).enterprise_id}`);
  const post = async (token, path, body) => {
    const r = await fetch(`${BASE}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.status < 300, `POST ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  const h = await post(zhifa, '/hazards', {
    enterprise_id: ent.id, region_code: ent.region_code, sector: ent.sectors[0], level: 'general',
    source: 'inspection', description: `加油机静电接地线断开（手机报告 ${Date.now()}）`,
    found_on: daysAhead(0),
  });
  await post(zhifa, `/hazards/${h.id}/actions`, { action: 'order', deadline_days: 5 });
  await post(qiye, `/hazards/${h.id}/actions`, { action: 'start' });

  const { ctx, page } = await phone('qiye');
  await page.goto(`${BASE}/hazards/${h.id}`);
  await fitsThePhone(page, 'the hazard page');
  const form = page.locator('form:has(input[name=action][value=report])');
  assert.equal(await form.count(), 1, 'the report is offered');
  await touchSized(form.locator('input:not([type=hidden]), button'), 'the report form');
  await form.locator('input[name=funds_spent]').fill('800');
  await form.locator('input[name=note]').fill('已重新连接静电接地线并检测合格');
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  await form.locator('input[type=file][name=evidence]').setInputFiles({ name: '接地线整改后.png', mimeType: 'image/png', buffer: png });
  await form.screenshot({ path: `${OUT}/phone-report-form.png` });
  await tapAndWait(page, form.locator('button[type=submit]'));
  const after = await api(qiye, `/hazards/${h.id}`);
  assert.equal(after.status, 'reported', `reported: ${after.status}`);
  const files = await api(qiye, `/hazards/${h.id}/attachments`);
  assert.deepEqual(files.items.map((f) => f.file_name), ['接地线整改后.png']);
  assert.ok((await page.content()).includes('接地线整改后.png'), 'the photo is listed on the page');
  await fitsThePhone(page, 'the reported hazard');
  await page.screenshot({ path: `${OUT}/phone-report-done.png`, fullPage: true });
  await ctx.close();
});

test('phone: the township records a self-built house graded D, then registers the hazard the form opens with', async () => {
  const { ctx, page } = await phone('xiangzhen');
  await page.goto(`${BASE}/campaign-ledgers/zijianfang/building/new`);
  await fitsThePhone(page, 'the ledger form');
  const form = page.locator('main form[method=post]');
  await touchSized(form.locator('input:not([type=hidden]), select, textarea, button, a.btn'), 'the ledger form');
  // A refused form keeps what was typed and names the missing field.
  const address = `东门组${Date.now() % 100000}号`;
  await form.locator('input[name=address]').fill(address);
  await tapAndWaitRefused(page, form.locator('button[type=submit]'));
  assert.equal(await form.locator('input[name=address]').inputValue(), address, 'the address is kept');
  assert.ok((await page.locator('.alert.error').textContent()).includes('户主'), 'the refusal names 户主');
  const pick = async (name, value) => {
    if (value) {
      await form.locator(`select[name=${name}]`).selectOption(value);
      return;
    }
    const values = await form.locator(`select[name=${name}] option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(values.length > 0, `${name} offers choices`);
    await form.locator(`select[name=${name}]`).selectOption(values[values.length > 1 ? 1 : 0]);
  };
  await pick('region');
  await form.locator('input[name=owner]').fill('王某某');
  await pick('use_kind', '经营性');
  await pick('use');
  await pick('structure', '砖木');
  await form.locator('input[name=floors]').fill('3');
  await form.locator('input[name=surveyed_on]').fill('2022-06-10');
  await pick('initial_judgement', '存在倒塌风险');
  await pick('grade', 'D');
  await form.locator('input[name=appraised_on]').fill('2022-06-20');
  await form.locator('input[name=appraiser]').fill('清江市建设工程质量检测中心');
  await pick('status', '已停用');
  await form.locator('[name=measures]').fill('停止经营，人员撤离，设置警示标志');
  await page.screenshot({ path: `${OUT}/phone-house-form.png`, fullPage: true });
  await tapAndWait(page, form.locator('button[type=submit]'));
  const m = page.url().match(/\/campaign-rows\/(\d+)/);
  assert.ok(m, `saved: now at ${page.url()}`);
  await fitsThePhone(page, 'the row page');
  await page.screenshot({ path: `${OUT}/phone-house-row.png`, fullPage: true });
  // Graded D: the row asks for a hazard; the form opens with the row's place and findings.
  const link = page.locator(`a[href="/hazards/new?campaign_row=${m[1]}"]`);
  await tapAndWait(page, link);
  const hazard = page.locator('main form[method=post]');
  const described = await hazard.locator('textarea[name=description]').inputValue();
  assert.ok(described.includes('等级为“D”'), `the description names the grade: ${described}`);
  assert.ok((await hazard.locator('input[name=location]').inputValue()).includes(address), 'the location is the house');
  await hazard.locator('textarea[name=description]').fill(`${described}房屋承重墙开裂，已停止经营`);
  await hazard.locator('input[name=deadline]').fill(daysAhead(30));
  await fitsThePhone(page, 'the hazard form opened from the row');
  await page.screenshot({ path: `${OUT}/phone-house-hazard-form.png`, fullPage: true });
  await tapAndWait(page, hazard.locator('button[type=submit]'));
  const h = page.url().match(/\/hazards\/(\d+)/);
  assert.ok(h, `registered: now at ${page.url()}`);
  await page.goto(`${BASE}/campaign-rows/${m[1]}`);
  assert.equal(await page.locator(`a[href="/hazards/${h[1]}"]`).count(), 1, 'the row links the hazard');
  await ctx.close();
});

async function tapAndWaitRefused(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.tap()]);
  assert.equal(await page.locator('.alert.error').count(), 1, `refused at ${page.url()}`);
}

test('phone: the stationed supervisor sees today\'s sites, checks in with a photo and turns the finding into a hazard', async () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const { ctx, page } = await phone('paizhu');
  await page.goto(`${BASE}/station`);
  await fitsThePhone(page, 'today\'s sites');
  await page.screenshot({ path: `${OUT}/phone-station-today.png`, fullPage: true });
  const go = page.locator('main a.btn', { hasText: '签到检查' }).first();
  assert.ok(await go.count() > 0, 'today lists the supervisor\'s sites');
  await touchSized(page.locator('main a.btn'), 'today\'s sites');
  await tapAndWait(page, go);
  await fitsThePhone(page, 'the check-in form');
  const form = page.locator('main form[method=post]');
  await touchSized(form.locator('input:not([type=hidden]), select, textarea, button, a.btn'), 'the check-in form');
  // A check-in with an item left unanswered is refused and keeps what was chosen.
  const selects = form.locator('select');
  const n = await selects.count();
  assert.ok(n >= 4, `the checklist has its items (${n})`);
  for (let i = 0; i < n - 1; i++) await selects.nth(i).selectOption(i === 1 ? 'problem' : 'normal');
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').tap()]);
  assert.equal(await page.locator('.alert.error').count(), 1, 'refused while an item is unanswered');
  assert.equal(await form.locator('select').nth(1).inputValue(), 'problem', 'the answers are kept');
  await form.locator('select').nth(n - 1).selectOption('normal');
  const finding = `二楼疏散通道堆放纸箱（手机签到 ${Date.now()}）`;
  await form.locator('textarea[name=findings]').fill(finding);
  await form.locator('input[type=file][name=photo]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: png });
  await page.screenshot({ path: `${OUT}/phone-station-checkin.png`, fullPage: true });
  await tapAndWait(page, form.locator('button[type=submit]'));
  assert.ok(/\/station\/visits\/\d+/.test(page.url()), `checked in: now at ${page.url()}`);
  assert.ok((await page.content()).includes(finding), 'the visit shows the finding');
  assert.equal(await page.locator('main img').count(), 1, 'the photo is shown');
  await fitsThePhone(page, 'the visit');
  // The finding becomes a hazard.
  const hazard = page.locator('main form[action$="/hazard"]');
  await hazard.locator('input[name=deadline]').fill(daysAhead(7));
  await tapAndWait(page, hazard.locator('button[type=submit]'));
  assert.ok((await page.content()).includes('已登记为隐患'), 'the hazard is registered');
  assert.equal(await page.locator('main a[href^="/hazards/"]').count(), 1, 'the visit links its hazard');
  await page.screenshot({ path: `${OUT}/phone-station-visit.png`, fullPage: true });
  await ctx.close();
});

test('phone: the township reads its forest chain and kit, and records a patrol (a refused one keeps what was typed)', async () => {
  const { ctx, page } = await phone('xiangzhen');
  await page.goto(`${BASE}/forest`);
  const chain = await page.content();
  assert.ok(chain.includes('临江镇') && chain.includes('护林员'), 'the township\'s chain is shown');
  assert.ok(!chain.includes('尚未登记县级林长'), 'the county\'s 林长 heads the township\'s chain');
  await fitsThePhone(page, 'the forest chain');
  await page.screenshot({ path: `${OUT}/phone-forest-chain.png`, fullPage: true });
  await page.goto(`${BASE}/forest/equipment`);
  assert.ok((await page.content()).includes('防火勘察无人机'), 'the township sees the drones it received');
  await fitsThePhone(page, 'the equipment page');
  await page.screenshot({ path: `${OUT}/phone-forest-kit.png`, fullPage: true });
  await page.goto(`${BASE}/forest/patrols`);
  await page.locator('main details.card summary', { hasText: '登记巡护' }).tap();
  const form = page.locator('main form[action="/forest/patrols"]');
  await touchSized(form.locator('input:not([type=hidden]), select, textarea, button'), 'the patrol form');
  const hills = await form.locator('select[name=patch_id] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(hills.length > 0, 'the township has hills to patrol');
  await form.locator('select[name=patch_id]').selectOption(hills[0]);
  await form.locator('input[name=patroller]').fill('罗木根');
  const route = `后龙山山脚—山顶—林缘农田（手机登记 ${Date.now()}）`;
  await form.locator('input[name=route]').fill(route);
  await form.locator('select[name=finding]').selectOption('illegal_fire');
  await tapAndWaitRefused(page, form.locator('button[type=submit]'));
  const again = page.locator('main form[action="/forest/patrols"]');
  assert.equal(await again.locator('input[name=route]').inputValue(), route, 'the route typed is kept');
  assert.ok((await page.content()).includes('发现问题时请写明情况和处置'), 'the missing account is named');
  await fitsThePhone(page, 'the refused patrol form');
  await page.screenshot({ path: `${OUT}/phone-forest-patrol-refused.png`, fullPage: true });
  await again.locator('textarea[name=details]').fill('村民焚烧田埂杂草，当场制止并扑灭余火');
  await tapAndWait(page, again.locator('button[type=submit]'));
  assert.ok((await page.content()).includes('村民焚烧田埂杂草'), 'the patrol is listed');
  await page.screenshot({ path: `${OUT}/phone-forest-patrols.png`, fullPage: true });
  await ctx.close();
});
