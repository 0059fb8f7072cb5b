// The "Rocky: Show lineage" webview: one reusable panel showing the SVG from graph.ts. Clicking a
// model node posts `{type: "open", model}` back; the extension opens that model's file.
import * as crypto from "node:crypto";
import * as vscode from "vscode";
import { LineageGraph, renderSvg } from "./graph";

let current: vscode.WebviewPanel | undefined;

/** Shows (or replaces) the lineage picture; `onOpen` is called with a clicked model's name. */
export function showLineagePanel(title: string, graph: LineageGraph, onOpen: (model: string) => void): void {
  const created = !current;
  if (!current) {
    current = vscode.window.createWebviewPanel("rocky.lineage", title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [],
    });
    current.onDidDispose(() => (current = undefined));
  }
  const panel = current;
  panel.title = title;
  panel.webview.html = html(panel.webview, title, graph);
  // One listener per render: replace the previous one.
  listener?.dispose();
  listener = panel.webview.onDidReceiveMessage((msg: unknown) => {
    if (msg && typeof msg === "object" && (msg as { type?: unknown }).type === "open") {
      const model = (msg as { model?: unknown }).model;
      if (typeof model === "string" && model !== "") {
        onOpen(model);
      }
    }
  });
  if (!created) {
    panel.reveal(panel.viewColumn, false);
  }
}
let listener: vscode.Disposable | undefined;

function html(webview: vscode.Webview, title: string, graph: LineageGraph): string {
  const nonce = crypto.randomBytes(16).toString("base64");
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
  ].join("; ");
  const body = graph.nodes.length === 0
    ? `<p class="empty">No lineage here: put the cursor on a column of a model (or in a model file) and run "Rocky: Show lineage" again.</p>`
    : renderSvg(graph);
  const escTitle = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escTitle}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 8px; }
  h1 { font-size: 1.1em; font-weight: 600; margin: 0 0 8px; }
  .legend { font-size: 0.85em; opacity: 0.8; margin-bottom: 8px; }
  svg.lineage { overflow: visible; max-width: 100%; height: auto; }
  .node rect { fill: var(--vscode-editorWidget-background, #252526); stroke: var(--vscode-editorWidget-border, #888); stroke-width: 1.2; }
  .node.source rect { stroke-dasharray: 4 3; }
  .node.root rect { stroke: var(--vscode-focusBorder, #0a84ff); stroke-width: 2.5; }
  .node.model { cursor: pointer; }
  .node.model:hover rect, .node.model:focus rect { fill: var(--vscode-list-hoverBackground, #2a2d2e); }
  body { overflow: auto; }
  .node text { fill: var(--vscode-foreground, #ccc); font-size: 12px; }
  .node text.table { font-weight: 600; }
  .node.source text.table { font-style: italic; }
  .edge { fill: none; stroke: var(--vscode-descriptionForeground, #999); stroke-width: 1.4; }
  .arrowhead { fill: var(--vscode-descriptionForeground, #999); }
  .edge-label { fill: var(--vscode-descriptionForeground, #999); font-size: 10px; }
</style></head>
<body>
<h1>${escTitle}</h1>
<div class="legend">Sources (dashed) on the left, flowing right to the models that derive from them. Arrows are labelled with how a column is derived. Click a model to open it.</div>
${body}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  const open = (el) => { const m = el.getAttribute('data-model'); if (m) vscode.postMessage({ type: 'open', model: m }); };
  for (const el of document.querySelectorAll('g.node[data-model]')) {
    el.addEventListener('click', () => open(el));
    el.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(el); });
  }
</script>
</body></html>`;
}
