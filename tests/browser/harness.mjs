// The browser harness of the project: Debian's Chromium, headless, driven by
// playwright-core (no browser download). Each person of a script gets a
// browser context of their own (their own cookies and viewport); on every
// page of every context the harness collects console errors, page errors and
// HTTP errors the script did not announce, and at each step it keeps a
// screenshot and runs axe-core. A script built on it prints one JSON line of
// findings and exits non-zero when anything went wrong.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.MOTCUA_TEST_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const problems = [];
  // HTTP errors a script provokes on purpose: [status, url part], each used once.
  const announced = [];
  const excused = [];
  const shots = process.env.MOTCUA_TEST_SCREENSHOTS;
  if (shots) mkdirSync(shots, { recursive: true });
  let steps = 0;
  const visited = new Set();

  /// A person with a browser of their own, `name` in the screenshots' names.
  async function person(name, { viewport = DESKTOP } = {}) {
    const isPhone = viewport.width < 600;
    const context = await browser.newContext({ viewport, locale: "vi-VN", isMobile: isPhone, hasTouch: isPhone });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      // Chromium also logs an HTTP error as a console error: not a second problem when announced.
      const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
      if (status && excused.some(([s, url]) => s === Number(status[1]) && url === m.location().url)) return;
      problems.push(`${name || "page"}: console: ${m.text()} (${m.location().url})`);
    });
    page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() < 400) return;
      const i = announced.findIndex(([status, part]) => status === r.status() && r.url().includes(part));
      if (i >= 0) excused.push([r.status(), r.url()]) && announced.splice(i, 1);
      else problems.push(`${name}: HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    });
    return {
      page,
      /// Marks a step: a screenshot, and axe-core's serious and critical findings on the page.
      async step(what) {
        steps += 1;
        await page.waitForLoadState("load");
        visited.add(new URL(page.url()).pathname);
        const file = `${String(steps).padStart(2, "0")}-${name ? `${name}-` : ""}${what}.png`;
        if (shots) await page.screenshot({ path: join(shots, file), fullPage: true });
        // On a phone nothing but a scrolling box may be wider than the screen.
        if (isPhone) {
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (wide > 0) problems.push(`${name}/${what} (${page.url()}): the page is ${wide} px wider than the phone's screen`);
        }
        // Evaluated through the DevTools protocol, which the page's CSP does not
        // govern (a script tag would be blocked by it, as it should be).
        await page.evaluate(axeSource);
        const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
        for (const v of result.violations.filter((v) => ["serious", "critical"].includes(v.impact))) {
          problems.push(`axe ${v.impact} at ${name}/${what} (${page.url()}): ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }
      },
    };
  }

  return {
    problems,
    person,
    visited,
    /// An HTTP error the script is about to provoke on purpose (once).
    expect: (status, urlPart) => announced.push([status, urlPart]),
    async close() {
      await browser.close();
    },
  };
}

/// One person at `viewport`, for a script of one person's steps.
export async function open({ viewport = DESKTOP } = {}) {
  const b = await launch();
  const me = await b.person("", { viewport });
  return { ...b, page: me.page, step: me.step };
}

/// Runs `body` with a fresh browser, prints {ok, problems, ...facts} and exits.
export async function run(body, options) {
  const b = await open(options);
  await finish(b, body);
}

/// Runs `body(b)` on a launched browser (`launch`), then prints and exits as `run`.
export async function finish(b, body) {
  let facts = {};
  try {
    facts = (await body(b)) || {};
  } catch (e) {
    b.problems.push(`failed: ${e.stack || e}`);
  } finally {
    await b.close();
  }
  console.log(JSON.stringify({ ok: b.problems.length === 0, problems: b.problems, visited: [...b.visited], ...facts }));
  process.exit(b.problems.length === 0 ? 0 : 1);
}

/// Signs in through the national SSO (the mock's page) as the demo identity `identity`.
export async function signInWithSso(page, portal, identity, next) {
  await page.goto(`${portal}/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.getByRole("link", { name: /Cổng DVCQG/ }).click();
  await page.locator(`button[name="identity"][value="${identity}"]`).click();
  await page.waitForURL((url) => url.href.startsWith(portal) && !url.pathname.startsWith("/dang-nhap"));
}

/// Signs an official in with their user name and password.
export async function signInOfficial(page, portal, username, password) {
  await page.goto(`${portal}/can-bo/dang-nhap`);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/can-bo/dang-nhap"));
}
