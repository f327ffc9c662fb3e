// A dossier's whole journey in a real browser, as the people who walk it:
//
// online   a citizen finds the procedure by typing without diacritics, signs
//          in through the national SSO, fills the e-form, picks a wrong file
//          first (and is shown where and why), uploads, reviews, submits, pays
//          on the gateway's page and reads the e-receipt; reception receives
//          and sends it on; the specialist asks for a supplement; the citizen
//          answers it; the specialist submits it, the leader (without claiming
//          anything) approves it with a result; the citizen downloads the
//          result and rates it; the national portal's page shows each status.
// counter  reception takes the dossier at the counter, records the fee paid in
//          cash, sends it on; specialist and leader finish it; reception hands
//          the result over; the citizen looks the dossier up by its code.
//
// Environment: MOTCUA_PORTAL, MOTCUA_MOCK (the national portal's address, also
// the payment gateway), MOTCUA_JOURNEY (online | counter), MOTCUA_CITIZEN_VIEWPORT
// (desktop | phone), MOTCUA_PROCEDURE (its code), MOTCUA_PROCEDURE_NAME,
// MOTCUA_QUERY (what the citizen types), MOTCUA_IDENTITY (their SSO identity),
// MOTCUA_RECEPTION, MOTCUA_SPECIALIST, MOTCUA_LEADER (user names),
// MOTCUA_PASSWORD, MOTCUA_FILES (a folder with don.pdf, bo-sung.pdf,
// ket-qua.pdf and khong-phai-pdf.pdf, a text file).

import { join } from "node:path";
import { DESKTOP, PHONE, finish, launch, signInOfficial } from "./harness.mjs";

const env = (k) => {
  if (!process.env[k]) throw new Error(`${k} is not set`);
  return process.env[k];
};
const portal = env("MOTCUA_PORTAL");
const mock = env("MOTCUA_MOCK");
const journey = env("MOTCUA_JOURNEY");
const citizenViewport = env("MOTCUA_CITIZEN_VIEWPORT") === "phone" ? PHONE : DESKTOP;
const procedure = env("MOTCUA_PROCEDURE");
const procedureName = env("MOTCUA_PROCEDURE_NAME");
const password = env("MOTCUA_PASSWORD");
const file = (name) => join(env("MOTCUA_FILES"), name);

const b = await launch();

/// Opens the official's inbox ("Hộp thư công việc", their own tab) and the dossier `code` from it.
async function fromInbox(o, code, what) {
  await o.page.goto(`${portal}/can-bo/hop-thu`);
  await o.step(`${what}-inbox`);
  await o.page.getByRole("link", { name: code, exact: true }).click();
  await o.page.waitForURL((u) => u.pathname.startsWith("/can-bo/ho-so/"));
  await o.step(what);
}

/// Opens the dossier `code` from the list of the agency's dossiers.
async function fromList(o, code, what) {
  await o.page.goto(`${portal}/can-bo/ho-so`);
  await o.step(`${what}-list`);
  await o.page.getByRole("link", { name: code, exact: true }).click();
  await o.page.waitForURL((u) => u.pathname.startsWith("/can-bo/ho-so/"));
  await o.step(what);
}

/// Runs the workflow action `label` on the open dossier page, filling `inputs` ({label: value}).
async function act(o, label, inputs = {}, what = label) {
  const form = o.page.locator("form.action-form").filter({ has: o.page.getByRole("button", { name: label, exact: true }) });
  for (const [field, value] of Object.entries(inputs)) {
    const input = form.getByLabel(field);
    if ((await input.getAttribute("type")) === "file") await input.setInputFiles(value);
    else await input.fill(value);
  }
  await form.getByRole("button", { name: label, exact: true }).click();
  await o.page.waitForLoadState("load");
  await o.step(what);
  const notice = await o.page.locator("main").innerText();
  if (/không hợp lệ|lỗi/i.test(notice.split("\n")[0])) throw new Error(`${label}: ${notice.slice(0, 300)}`);
}

/// The state a person sees of the open dossier page: its status panel or its step heading.
const text = async (o, selector = "main") => (await o.page.locator(selector).first().innerText()).replace(/\s+/g, " ");

async function official(name, username) {
  const o = await b.person(name);
  await signInOfficial(o.page, portal, username, password);
  await o.step("home");
  return o;
}

/// The citizen: search, procedure, SSO sign-in, e-form (wrong file first), review, submit.
async function citizenSubmits(c) {
  const { page } = c;
  await page.goto(portal);
  await c.step("home");
  await page.getByLabel("Tìm thủ tục").first().fill(env("MOTCUA_QUERY"));
  await page.getByLabel("Tìm thủ tục").first().press("Enter");
  await page.waitForURL((u) => u.pathname === "/thu-tuc");
  await c.step("search");
  await page.getByRole("link", { name: procedureName }).first().click();
  await page.waitForURL((u) => u.pathname === `/thu-tuc/${procedure}`);
  await c.step("procedure");
  await page.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).first().click();
  await page.waitForLoadState("load");
  await c.step("sign-in-needed");
  if (!page.url().startsWith(mock)) {
    const sso = page.getByRole("link", { name: /Cổng DVCQG/ });
    await sso.first().click();
  }
  await page.waitForURL((u) => u.href.startsWith(mock));
  await c.step("national-sso");
  await page.locator(`button[name="identity"][value="${env("MOTCUA_IDENTITY")}"]`).click();
  await page.waitForURL((u) => u.href.startsWith(portal) && u.pathname === `/thu-tuc/${procedure}/nop-ho-so`);
  await c.step("form");

  await page.getByLabel("Họ và tên").fill("Nguyễn Văn An");
  await page.getByLabel("Ngày sinh").fill("1990-05-17");
  await page.getByLabel("Địa chỉ thường trú").fill("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội");
  await page.getByLabel("Số điện thoại").fill("0912345678");
  // A text file named .pdf: the form comes back with what was typed, the
  // summary takes focus and names the document slot, linking to it.
  await page.locator("#file-1").setInputFiles(file("khong-phai-pdf.pdf"));
  b.expect(422, `/thu-tuc/${procedure}/nop-ho-so`);
  await page.getByRole("button", { name: "Tiếp tục: kiểm tra lại" }).click();
  await page.waitForLoadState("load");
  await page.waitForFunction(() => document.activeElement?.hasAttribute("data-error-summary"));
  await c.step("form-wrong-file");
  const summary = await text(c, "[data-error-summary]");
  if (!summary.includes("Đơn đề nghị")) throw new Error(`the summary does not name the slot: ${summary}`);
  if ((await page.getByLabel("Họ và tên").inputValue()) !== "Nguyễn Văn An") throw new Error("the name typed was lost");
  await page.locator("[data-error-summary] a").first().click();
  const focused = await page.evaluate(() => document.activeElement?.id);
  if (focused !== "file-1") throw new Error(`the summary's link focused ${focused}, not the upload`);

  await page.locator("#file-1").setInputFiles(file("don.pdf"));
  await page.getByRole("button", { name: "Tiếp tục: kiểm tra lại" }).click();
  await page.waitForURL((u) => u.pathname.endsWith("/xem-lai"));
  await c.step("review");
  await page.getByRole("button", { name: "Nộp hồ sơ", exact: true }).click();
  await page.waitForURL((u) => /^\/ho-so\/[^/]+$/.test(u.pathname));
  await c.step("submitted");
  const heading = await text(c, "h1");
  const code = heading.replace(/^Hồ sơ\s*/, "").trim();
  // How much of the screen the signed-in header takes above the dossier.
  const headerHeight = await page.evaluate(() => document.querySelector("header.site-header").getBoundingClientRect().height);
  return { code, dossierUrl: page.url(), submitted: await text(c, ".status-panel"), headerHeight };
}

/// The citizen pays on the gateway's page and reads the e-receipt.
async function citizenPays(c) {
  const { page } = c;
  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await page.waitForURL((u) => u.href.startsWith(mock), { timeout: 10000 });
  await c.step("gateway");
  await page.getByRole("button", { name: "Thanh toán thành công" }).click();
  await page.waitForURL((u) => u.href.startsWith(portal), { timeout: 10000 });
  await c.step("paid");
  const paid = await text(c);
  await page.getByRole("link", { name: /Biên lai/i }).first().click();
  await page.waitForURL((u) => u.pathname.includes("/bien-lai/"));
  await c.step("e-receipt");
  return { paid, receipt: await text(c) };
}

/// The national portal's page of the dossier, once it shows `last` (the sync runs in the background).
async function nationalPage(c, code, last) {
  const { page } = c;
  const until = Date.now() + 30000;
  for (;;) {
    await page.goto(`${mock}/ho-so-dong-bo/${encodeURIComponent(code)}`);
    const shown = await text(c);
    if (shown.includes(last) || Date.now() > until) break;
    await page.waitForTimeout(500);
  }
  await c.step("national-portal");
  return await text(c);
}

async function online() {
  const citizen = await b.person("citizen", { viewport: citizenViewport });
  const { code, dossierUrl, submitted, headerHeight } = await citizenSubmits(citizen);
  const payment = await citizenPays(citizen);

  const reception = await official("reception", env("MOTCUA_RECEPTION"));
  await fromList(reception, code, "dossier");
  await reception.page.getByRole("button", { name: "Tiếp nhận và hẹn trả kết quả" }).click();
  await reception.step("received");
  await act(reception, "Chuyển thẩm định");

  const specialist = await official("specialist", env("MOTCUA_SPECIALIST"));
  await fromInbox(specialist, code, "dossier");
  const specialistPrimary = await text(specialist, "form.action-form .button-primary");
  await act(specialist, "Yêu cầu bổ sung", {
    "Lý do — Yêu cầu bổ sung": "Bản sao đơn chưa có chữ ký.",
    "Giấy tờ cần bổ sung, hoàn thiện (ghi đầy đủ một lần)": "Đơn đề nghị có chữ ký",
  });

  await citizen.page.goto(dossierUrl);
  await citizen.step("supplement-asked");
  const asked = await text(citizen);
  await citizen.page.getByRole("link", { name: /bổ sung/i }).first().click();
  await citizen.page.locator("#sup-1").setInputFiles(file("bo-sung.pdf"));
  await citizen.page.getByLabel("Ghi chú").fill("Đã ký đơn.");
  await citizen.page.getByRole("button", { name: "Gửi bổ sung" }).click();
  await citizen.page.waitForLoadState("load");
  await citizen.step("supplement-sent");

  await fromInbox(specialist, code, "supplemented");
  await act(specialist, "Trình phê duyệt", { "Ghi chú — Trình phê duyệt": "Đủ điều kiện." });

  const leader = await official("leader", env("MOTCUA_LEADER"));
  await fromInbox(leader, code, "dossier");
  const leaderSaw = await text(leader, "section[aria-labelledby=processing]");
  const leaderPrimary = await text(leader, "form.action-form .button-primary");
  await act(leader, "Phê duyệt kết quả", { "Văn bản kết quả": file("ket-qua.pdf") });

  await citizen.page.goto(dossierUrl);
  await citizen.step("result-ready");
  const ready = await text(citizen, ".status-panel");
  const download = citizen.page.waitForEvent("download");
  await citizen.page.locator(".status-panel").getByRole("link", { name: "Tải kết quả giải quyết" }).click();
  const result = await download;
  const resultName = result.suggestedFilename();

  // Reception records the hand-over; the citizen may then rate the service.
  await fromList(reception, code, "result");
  await act(reception, "Xác nhận đã trả kết quả", {}, "handed-over");
  await citizen.page.goto(dossierUrl);
  await citizen.step("returned");
  await citizen.page.locator(".status-panel").getByRole("link", { name: "Đánh giá mức độ hài lòng" }).click();
  for (const group of await citizen.page.locator("#rating fieldset").all()) {
    await group.getByLabel("Rất hài lòng").check();
  }
  await citizen.page.getByLabel("Góp ý thêm (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.");
  await citizen.page.getByRole("button", { name: "Gửi đánh giá" }).click();
  await citizen.page.waitForLoadState("load");
  await citizen.step("rated");
  const rated = await text(citizen, "#rating");
  const national = await nationalPage(citizen, code, "Đã trả kết quả");
  return { code, submitted, headerHeight, ...payment, asked, specialistPrimary, leaderSaw, leaderPrimary, ready, resultName, rated, national };
}

async function counter() {
  const reception = await official("reception", env("MOTCUA_RECEPTION"));
  const { page } = reception;
  await page.getByRole("link", { name: "Tiếp nhận hồ sơ trực tiếp" }).first().click();
  await reception.step("counter-choose");
  await page.getByRole("link", { name: procedureName }).click();
  await reception.step("counter-form");
  await page.getByLabel("Họ tên người nộp / tên tổ chức").fill("Trần Thị Bình");
  await page.getByLabel("Số định danh cá nhân / mã số thuế").fill("001190000123");
  // The e-form's fields (their labels are also the applicant's on this page).
  await page.locator("#f-ho_ten").fill("Trần Thị Bình");
  await page.locator("#f-ngay_sinh").fill("1985-11-02");
  await page.locator("#f-dia_chi").fill("Số 2 Hàng Bài, Hoàn Kiếm, Hà Nội");
  await page.locator("#f-dien_thoai").fill("0987654321");
  await page.locator("#file-1").setInputFiles(file("don.pdf"));
  await page.getByRole("button", { name: "Tiếp nhận và in giấy hẹn" }).click();
  // The appointment slip to print and hand to the applicant, then the dossier.
  await page.waitForURL((u) => u.pathname.endsWith("/phieu-tiep-nhan"));
  await reception.step("appointment-slip");
  const slip = await text(reception);
  const code = /Mã hồ sơ:?\s*(\S+)/.exec(slip)[1];
  await fromList(reception, code, "counter-received");
  await page.getByLabel("Số biên lai").fill("BL-0001");
  await page.getByRole("button", { name: "Ghi nhận đã thu" }).click();
  await reception.step("fee-recorded");
  await act(reception, "Chuyển thẩm định");

  const specialist = await official("specialist", env("MOTCUA_SPECIALIST"));
  await fromInbox(specialist, code, "dossier");
  await act(specialist, "Trình phê duyệt", { "Ghi chú — Trình phê duyệt": "Đủ điều kiện." });
  const leader = await official("leader", env("MOTCUA_LEADER"));
  await fromInbox(leader, code, "dossier");
  await act(leader, "Phê duyệt kết quả", { "Văn bản kết quả": file("ket-qua.pdf") });
  await fromList(reception, code, "result");
  await act(reception, "Xác nhận đã trả kết quả", {}, "handed-over");

  const citizen = await b.person("citizen", { viewport: citizenViewport });
  await citizen.page.goto(`${portal}/tra-cuu`);
  await citizen.step("lookup");
  await citizen.page.getByLabel("Mã hồ sơ").fill(code);
  await citizen.page.getByRole("button", { name: "Tra cứu" }).click();
  await citizen.page.waitForLoadState("load");
  await citizen.step("found");
  const found = await text(citizen);
  const national = await nationalPage(citizen, code, "Đã trả kết quả");
  return { code, slip, found, national };
}

await finish(b, async () => (journey === "counter" ? await counter() : await online()));
