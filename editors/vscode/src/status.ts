// The status-bar item: the project's name and how old its schema cache is, asked from the
// server with the custom request `rocky/status`. Degrades to "cache: unknown" when the server
// does not answer it.
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";

/** The result of `rocky/status` (params `{}`). */
export interface RockyStatus {
  project: string;
  stateFile?: string | null;
  /** Seconds since the newest schema-cache entry was written; null when the cache is empty. */
  cacheAgeSeconds?: number | null;
}

/** "42 s", "5 min", "3 h", "2 d". */
export function formatAge(seconds: number): string {
  if (seconds < 60) {
    return `${Math.max(0, Math.round(seconds))} s`;
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min`;
  }
  if (seconds < 86400) {
    return `${Math.round(seconds / 3600)} h`;
  }
  return `${Math.round(seconds / 86400)} d`;
}

/** The status text for a status answer (or for a failed request: `undefined`). */
export function statusText(fallbackName: string, status: RockyStatus | undefined): string {
  const name = status?.project || fallbackName;
  let cache = "cache: unknown";
  if (status && typeof status.cacheAgeSeconds === "number") {
    cache = `cache: ${formatAge(status.cacheAgeSeconds)} old`;
  } else if (status && status.cacheAgeSeconds === null) {
    cache = "cache: empty";
  }
  return `$(database) ${name} · ${cache}`;
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("rocky.status", vscode.StatusBarAlignment.Left, 50);
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly projectName: string,
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.item.name = "Rocky";
    this.item.command = "rocky.warmCache";
    this.item.text = statusText(projectName, undefined);
    this.item.show();
    this.timer = setInterval(() => void this.refresh(), 60_000);
  }

  /** Asks the server again; any failure (no server, unknown method, timeout) shows "unknown". */
  async refresh(): Promise<void> {
    const client = this.client();
    let status: RockyStatus | undefined;
    let error: string | undefined;
    if (client?.isRunning()) {
      try {
        status = await client.sendRequest<RockyStatus>("rocky/status", {});
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    } else {
      error = "language server not running";
    }
    this.item.text = statusText(this.projectName, status ?? undefined);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**Rocky project** ${status?.project ?? this.projectName}\n\n`);
    if (status?.stateFile) {
      tooltip.appendMarkdown(`State file: \`${status.stateFile}\`\n\n`);
    }
    if (error) {
      tooltip.appendMarkdown(`Schema cache age unknown: ${error}\n\n`);
    }
    tooltip.appendMarkdown("Click to warm the schema cache (`rocky discover --with-schemas`).");
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.item.dispose();
  }
}
