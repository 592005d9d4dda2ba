// Drives Microsoft 365 Agents Playground in headless Chromium as a person would:
// says "help", waits for policybot's card, presses its "Find a procedure" button and waits for
// the answer. Prints one JSON line with what was seen; saves a screenshot.
// usage: node playground.js <playground url> <screenshot path> <chromium path>
const { chromium } = require("playwright-core");

async function main() {
  const [url, shot, executablePath] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const result = { ok: false, steps: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url, { waitUntil: "domcontentloaded", timeout: 60000 });
    const box = page.locator("textarea, [contenteditable='true'], input[type='text']").last();
    await box.waitFor({ timeout: 60000 });
    result.steps.push("page loaded");
    await box.click();
    await box.fill("help");
    await page.keyboard.press("Enter");
    await page.getByText("What I can do").first().waitFor({ timeout: 30000 });
    result.steps.push("help card shown");
    await page.getByRole("button", { name: "Find a procedure" }).last().click();
    await page.getByText("Children Missing from Home and Care").first().waitFor({ timeout: 30000 });
    result.steps.push("button answered");
    result.answer = (await page.getByText("Children Missing from Home and Care").first().innerText()).slice(0, 200);
    await page.screenshot({ path: shot, fullPage: false });
    result.ok = true;
  } catch (err) {
    result.error = String(err).slice(0, 500);
    try { const pages = browser.contexts()[0]?.pages() || []; if (pages[0]) await pages[0].screenshot({ path: shot }); } catch (e) {}
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
}

main();
