// End-to-end test of the Rocky extension in the real VS Code workbench (code-server), driven by
// the system Chromium through playwright-core, against the real rocky-lsp and rocky binaries.
// Run by scripts/test-editors.sh (which installs everything and builds the .vsix), with env:
//   CODE_SERVER, CHROMIUM, ROCKY_LSP, ROCKY_BIN, VSIX, ROCKY_PROJECT (a copy of the playground),
//   ROCKY_TEST_OUT (screenshots and logs go here).
// Prints PASS/FAIL per check and "N passed, M failed"; exits non-zero on any failure.
"use strict";
const { chromium } = require("playwright-core");
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`e2e: ${name} is not set`);
    process.exit(2);
  }
  return v;
};
const CODE_SERVER = env("CODE_SERVER");
const CHROMIUM = env("CHROMIUM");
const ROCKY_LSP = env("ROCKY_LSP");
const ROCKY_BIN = env("ROCKY_BIN");
const VSIX = env("VSIX");
const PROJECT = env("ROCKY_PROJECT");
const OUT = env("ROCKY_TEST_OUT");
const TIMEOUT = Number(process.env.ROCKY_TEST_TIMEOUT_MS || 20000);

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`PASS ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `: ${String(detail).slice(0, 1500)}` : ""}`);
  }
  return ok;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok || r.status === 302) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Polls `fn` until it returns a truthy value or the time runs out; returns the last value. */
async function poll(fn, ms = TIMEOUT) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = undefined;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

async function main() {
  const screens = path.join(OUT, "screenshots");
  const home = path.join(OUT, "vscode-home");
  const userData = path.join(OUT, "vscode-user-data");
  const extDir = path.join(OUT, "vscode-extensions");
  for (const d of [screens, home, path.join(userData, "User"), extDir]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "rocky.serverPath": ROCKY_LSP,
        "rocky.cliPath": ROCKY_BIN,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.enableExperiments": false,
        "security.workspace.trust.enabled": false,
        "telemetry.telemetryLevel": "off",
        "editor.inlayHints.enabled": "on",
        "editor.hover.delay": 100,
        "extensions.autoUpdate": false,
        "extensions.ignoreRecommendations": true,
        "chat.disableAIFeatures": true,
        "window.commandCenter": false,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        // The DOM renderer puts the terminal's text in the page (the GPU one draws on a canvas).
        "terminal.integrated.gpuAcceleration": "off",
      },
      null,
      2,
    ),
  );
  const childEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local/share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
  };
  const install = spawnSync(CODE_SERVER, ["--install-extension", VSIX, "--extensions-dir", extDir, "--user-data-dir", userData], {
    env: childEnv,
    encoding: "utf8",
  });
  if (!check("vscode: the .vsix installs into code-server", install.status === 0, install.stderr + install.stdout)) {
    return;
  }
  const listed = spawnSync(CODE_SERVER, ["--list-extensions", "--show-versions", "--extensions-dir", extDir, "--user-data-dir", userData], {
    env: childEnv,
    encoding: "utf8",
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
  const id = `${manifest.publisher}.${manifest.name}@${manifest.version}`;
  check(`vscode: code-server lists ${id} as installed`, listed.stdout.split("\n").includes(id), listed.stderr + listed.stdout);

  const port = await freePort();
  const log = fs.openSync(path.join(OUT, "code-server.log"), "w");
  const server = spawn(
    CODE_SERVER,
    [
      "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check",
      "--disable-workspace-trust", "--user-data-dir", userData, "--extensions-dir", extDir, PROJECT,
    ],
    { env: childEnv, detached: true, stdio: ["ignore", log, log] },
  );
  const stopServer = () => {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", stopServer);
  let context;
  try {
    if (!check("vscode: code-server starts", await waitHttp(`http://127.0.0.1:${port}/healthz`, 60000))) return;
    context = await chromium.launchPersistentContext(path.join(OUT, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      await run(page, port, screens);
    } catch (e) {
      await shot(page, screens, "99-failure").catch(() => {});
      throw e;
    }
  } finally {
    if (context) await context.close().catch(() => {});
    stopServer();
  }
}

async function shot(page, screens, name) {
  const file = path.join(screens, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);
}

async function command(page, title) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  await page.keyboard.type(title);
  await page.waitForTimeout(400);
  await page.keyboard.press("Enter");
}

async function gotoPos(page, line, col) {
  await page.keyboard.press("Control+g");
  await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(200);
}

async function openFile(page, name) {
  await page.keyboard.press("Control+p");
  await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  await page.keyboard.type(name);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first();
  await row.waitFor({ state: "visible", timeout: TIMEOUT });
  await row.click();
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: TIMEOUT });
  await page.waitForSelector(".monaco-editor .view-lines .view-line", { timeout: TIMEOUT });
}

/** The text of every terminal on screen (with the DOM renderer, see the settings). */
async function terminalText(page) {
  return page.$$eval(".integrated-terminal .xterm-rows", (els) => els.map((e) => e.innerText).join("\n"));
}

/** The text of the hover widget on screen (a hidden one keeps its old content in the DOM). */
async function hoverText(page) {
  const visible = page.locator(".monaco-hover-content:visible");
  return (await visible.count()) > 0 ? visible.first().textContent() : null;
}

async function viewLines(page) {
  return page.$$eval(".monaco-editor .view-lines .view-line", (els) =>
    els.map((e) => ({ top: parseFloat(e.style.top) || 0, text: e.textContent.replace(/\u00a0/g, " ") })).sort((a, b) => a.top - b.top).map((l) => l.text),
  );
}

async function run(page, port, screens) {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(PROJECT)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  await page.waitForTimeout(1500);

  // 1. Inlay hint: the inferred type after a select item.
  await openFile(page, "customer_ranking.sql");
  const hinted = await poll(async () => {
    const lines = await viewLines(page);
    const l = lines.find((t) => t.includes("as spend_rank"));
    return l && l.includes("BIGINT") ? l : undefined;
  });
  await shot(page, screens, "01-inlay-hints");
  check("vscode: inlay hint BIGINT after `rank() ... as spend_rank`", hinted, (await viewLines(page)).join("\n"));

  // 2. Status bar: project name and schema cache age (from rocky/status).
  const status = await poll(async () => {
    const t = await page.innerText(".statusbar");
    return t && /\S+ · cache: (\d+ (s|min|h|d) old|empty)/.test(t) ? t : undefined;
  }, 5000);
  check("vscode: status bar shows the project and its cache age (rocky/status)", status,
    (await page.innerText(".statusbar").catch(() => "")) ?? "");

  // 3. Hover on a column: its lineage.
  await gotoPos(page, 7, 6);
  await page.keyboard.press("Control+k");
  await page.keyboard.press("Control+i");
  const hover = await poll(async () => {
    const t = await hoverText(page).catch(() => null);
    return t && t.includes("customer_orders") && t.includes("stg_orders.amount") ? t : undefined;
  });
  await shot(page, screens, "02-hover-lineage");
  check("vscode: hovering total_spent shows its upstream lineage (customer_orders <- stg_orders.amount)", hover,
    await hoverText(page).catch(() => "no hover"));
  await page.keyboard.press("Escape");

  // 4. Typing an unknown column: error squiggle with the right message.
  await gotoPos(page, 4, 5);
  await page.keyboard.press("Shift+End");
  await page.keyboard.insertText("customer_nme,");
  // Hover the squiggle the way a user does: move the mouse onto it (again on each try, since the
  // first squiggle may belong to an older diagnostics round).
  let squiggle;
  const message = await poll(async () => {
    squiggle = await page.$(".monaco-editor .squiggly-error");
    if (!squiggle) return undefined;
    const box = await squiggle.boundingBox();
    await page.mouse.move(5, 500);
    await page.waitForTimeout(100);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2);
    const t = await poll(() => hoverText(page).catch(() => null), 2000);
    return t && t.includes("customer_nme") && t.includes("E102") ? t : undefined;
  });
  check("vscode: an unknown column gets an error squiggle", squiggle);
  await shot(page, screens, "03-unknown-column-hover");
  check("vscode: hovering the squiggle shows E102 naming the column", message,
    await hoverText(page).catch(() => "no hover"));
  const times = message ? message.split("rocky(E102)").length - 1 : 0;
  check("vscode: the error is reported once (not by both push and pull diagnostics)", times === 1,
    `${times} times in the hover: ${message}`);
  await page.mouse.move(5, 500);
  await command(page, "View: Focus Problems");
  const problems = await poll(async () => {
    const t = await page.textContent(".markers-panel").catch(() => null);
    return t && t.includes("customer_nme") ? t : undefined;
  });
  await shot(page, screens, "04-problems-panel");
  check("vscode: the Problems panel lists the unknown column", problems,
    await page.textContent(".markers-panel").catch(() => "no problems panel"));
  // Undo the edit (back to a clean model).
  await page.click(".monaco-editor .view-lines");
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");

  // 5. Rocky: Show lineage — an SVG graph in the webview; clicking a model opens its file.
  await command(page, "View: Close Panel");
  await command(page, "View: Close Primary Side Bar");
  await page.click(".monaco-editor .view-lines");
  await gotoPos(page, 7, 6);
  await command(page, "Rocky: Show lineage");
  const found = await poll(async () => {
    for (const frame of page.frames()) {
      const n = await frame.evaluate(() => document.querySelectorAll("svg.lineage g.node").length).catch(() => 0);
      if (n > 0) return { frame, n };
    }
    return undefined;
  });
  await page.waitForTimeout(500);
  await shot(page, screens, "05-lineage-webview");
  if (!check("vscode: Show lineage draws SVG nodes in the webview", found)) return;
  const info = await found.frame.evaluate(() => ({
    models: [...document.querySelectorAll("g.node")].map((g) => g.querySelector("title")?.textContent ?? ""),
    edges: document.querySelectorAll("path.edge").length,
    labels: [...document.querySelectorAll("text.edge-label")].map((t) => t.textContent),
  }));
  const titles = info.models.join(" | ");
  check("vscode: lineage graph has customer_ranking.total_spent <- customer_orders.total_spent <- stg_orders.amount",
    titles.includes("customer_ranking.total_spent") && titles.includes("customer_orders.total_spent") && titles.includes("stg_orders.amount"),
    titles);
  check("vscode: lineage edges are arrows with kind labels", info.edges > 0 && info.labels.length === info.edges && info.labels.every((l) => l),
    JSON.stringify(info));
  await found.frame.click('g.node[data-model="customer_orders"]');
  const opened = await poll(() => page.$('.tab.active[aria-label*="customer_orders.sql"]'));
  await shot(page, screens, "06-lineage-click-opens-model");
  check("vscode: clicking a lineage node opens that model's file", opened);

  // 5b. Off a column (the comment line): the whole model's lineage, every output column a root.
  await page.click(".monaco-editor .view-lines");
  await openFile(page, "customer_ranking.sql");
  await gotoPos(page, 1, 1);
  await command(page, "Rocky: Show lineage");
  const modelRoots = await poll(async () => {
    for (const frame of page.frames()) {
      const roots = await frame
        .evaluate(() => [...document.querySelectorAll("svg.lineage g.node.root title")].map((t) => t.textContent))
        .catch(() => []);
      if (roots.length >= 5) return roots;
    }
    return undefined;
  });
  await shot(page, screens, "06b-model-lineage");
  check("vscode: Show lineage off a column draws the whole model (all 5 columns of customer_ranking as roots)",
    modelRoots && modelRoots.every((t) => t.startsWith("model customer_ranking.")), JSON.stringify(modelRoots));

  // 6. Rocky: Check project — a task whose output shows in the terminal panel.
  await command(page, "Rocky: Check project");
  const terminal = await poll(async () => {
    const t = await terminalText(page).catch(() => "");
    return t && /checked \d+ models/.test(t.replace(/\s+/g, " ")) ? t : undefined;
  }, 30000);
  await shot(page, screens, "07-check-task-output");
  check("vscode: Rocky: Check project runs `rocky check` as a task with its output in the terminal", terminal,
    await terminalText(page).catch(() => "no terminal"));

  // 7. Rocky: Run this model — `rocky run --models <the active model>` as a task.
  await openFile(page, "customer_ranking.sql");
  await command(page, "Rocky: Run this model");
  const runTask = await poll(async () => {
    // The run task's own terminal (the check task's terminal is there too).
    const texts = await page.$$eval(".integrated-terminal .xterm-rows", (els) => els.map((e) => e.innerText)).catch(() => []);
    const t = texts.find((x) => /Executing task: \S*rocky run --models customer_ranking/.test(x));
    return t && /Terminal will be reused|exit code/.test(t.replace(/\s+/g, " ")) ? t.replace(/\s+/g, " ") : undefined;
  }, 120000);
  await shot(page, screens, "08-run-model-task");
  check("vscode: Rocky: Run this model runs `rocky run --models customer_ranking` as a task", runTask,
    await terminalText(page).catch(() => "no terminal"));
  check("vscode: the run task succeeds (no exit code reported)", runTask && !/exit code/.test(runTask), runTask);
}


main()
  .catch((e) => check("vscode: the test ran to the end", false, e && e.stack))
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
