// An applicant pays a dossier's fee online in a real browser: the pay form's
// answer redirects to the gateway on another origin (which the portal's
// Content-Security-Policy must allow), the gateway page takes the payment,
// and the browser comes back to the portal's return page and the e-receipt.
//
// Environment: MOTCUA_PORTAL (the portal's address), MOTCUA_GATEWAY (the
// gateway's origin), MOTCUA_DOSSIER (the dossier's id), MOTCUA_IDENTITY (the
// SSO identity of its applicant).

import { run, signInWithSso } from "./harness.mjs";

const portal = process.env.MOTCUA_PORTAL;
const gateway = process.env.MOTCUA_GATEWAY;
const dossier = process.env.MOTCUA_DOSSIER;

await run(async (b) => {
  const { page } = b;
  await signInWithSso(page, portal, process.env.MOTCUA_IDENTITY, `/ho-so/${dossier}`);
  await page.goto(`${portal}/ho-so/${dossier}`);
  await b.step("dossier");
  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await page.waitForURL((url) => url.href.startsWith(gateway), { timeout: 10000 });
  await b.step("gateway");
  await page.getByRole("button", { name: "Thanh toán thành công" }).click();
  await page.waitForURL((url) => url.href.startsWith(portal), { timeout: 10000 });
  await page.waitForLoadState("load");
  await b.step("returned");
  const returned = await page.locator("main").innerText();
  await page.getByRole("link", { name: /Biên lai/i }).first().click();
  await page.waitForURL((url) => url.pathname.startsWith(`/ho-so/${dossier}/bien-lai/`));
  await b.step("receipt");
  const receipt = await page.locator("main").innerText();
  return { returned, receipt };
});
