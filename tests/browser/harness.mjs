// The browser harness of the project: Debian's Chromium, headless, driven by
// playwright-core (no browser download), with every console error, page error
// and unexpected HTTP error of the pages collected, a screenshot per step, and
// axe-core run on each page visited. A script built on it prints one JSON
// line of findings and exits non-zero when anything went wrong.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export async function open({ viewport = { width: 1280, height: 900 } } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.MOTCUA_TEST_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport, locale: "vi-VN" });
  const page = await context.newPage();
  const problems = [];
  const expected = new Set();
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()} (${m.location().url})`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !expected.has(r.url())) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  const shots = process.env.MOTCUA_TEST_SCREENSHOTS;
  if (shots) mkdirSync(shots, { recursive: true });
  let step = 0;
  return {
    page,
    problems,
    /// A 4xx/5xx the script provokes on purpose.
    expect: (url) => expected.add(url),
    /// Marks a step: a screenshot, and axe-core's serious and critical findings.
    async step(name) {
      step += 1;
      if (shots) await page.screenshot({ path: join(shots, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
      // Evaluated through the DevTools protocol, which the page's CSP does not
      // govern (a script tag would be blocked by it, as it should be).
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of result.violations.filter((v) => ["serious", "critical"].includes(v.impact))) {
        problems.push(`axe ${v.impact} on ${name} (${page.url()}): ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
    },
    async close() {
      await browser.close();
    },
  };
}

/// Runs `body` with a fresh browser, prints {ok, problems, ...facts} and exits.
export async function run(body, options) {
  const b = await open(options);
  let facts = {};
  try {
    facts = (await body(b)) || {};
  } catch (e) {
    b.problems.push(`failed: ${e.stack || e}`);
  } finally {
    await b.close();
  }
  console.log(JSON.stringify({ ok: b.problems.length === 0, problems: b.problems, ...facts }));
  process.exit(b.problems.length === 0 ? 0 : 1);
}

/// Signs in through the national SSO (the mock's page) as the demo identity `identity`.
export async function signInWithSso(page, portal, identity, next) {
  await page.goto(`${portal}/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.getByRole("link", { name: /Cổng DVCQG/ }).click();
  await page.locator(`button[name="identity"][value="${identity}"]`).click();
  await page.waitForURL((url) => url.href.startsWith(portal) && !url.pathname.startsWith("/dang-nhap"));
}
