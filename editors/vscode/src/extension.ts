// Rocky for VS Code: starts `rocky-lsp` for every project (folder with a rocky.toml) in the
// workspace, and adds the run/check/lineage commands and the status-bar item.
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";
import { normalize, WireGraph } from "./lineage/graph";
import { showLineagePanel } from "./lineage/panel";
import { resolveBinary } from "./paths";
import { findProjects, projectOf, RockyProject } from "./project";
import { StatusItem } from "./status";
import { runCli, TASK_TYPE } from "./tasks";

/** A running project: its language client (undefined when the server binary is missing). */
interface Session {
  project: RockyProject;
  client?: LanguageClient;
  status: StatusItem;
}

const sessions: Session[] = [];

function glob(root: string, tail: string): string {
  return `${root.split(path.sep).join("/")}/${tail}`;
}

async function startSession(context: vscode.ExtensionContext, project: RockyProject): Promise<Session> {
  const name = path.basename(project.root);
  const session: Session = { project, status: new StatusItem(name, () => session.client) };
  const setting = vscode.workspace.getConfiguration("rocky", project.folder.uri).get<string>("serverPath");
  const server = resolveBinary("rocky-lsp", setting, project.root, project.folder.uri.fsPath);
  if (!server) {
    void vscode.window
      .showErrorMessage(
        `Rocky: rocky-lsp was not found for ${name} (setting rocky.serverPath, PATH, target/{release,debug}/rocky-lsp).`,
        "Open settings",
      )
      .then((choice) => choice && vscode.commands.executeCommand("workbench.action.openSettings", "rocky.serverPath"));
    void session.status.refresh();
    return session;
  }
  const serverOptions: ServerOptions = {
    command: server.path,
    args: [],
    transport: TransportKind.stdio,
    options: { cwd: project.root },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "sql", pattern: glob(project.root, "**/*.sql") },
      { scheme: "file", pattern: glob(project.root, "**/*.toml") },
    ],
    workspaceFolder: project.folder,
    outputChannelName: `Rocky (${name})`,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(project.root, "**/{*.sql,*.toml,.rocky-state.redb}"),
      ),
    },
  };
  session.client = new LanguageClient("rocky", `Rocky (${name})`, serverOptions, clientOptions);
  try {
    await session.client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`Rocky: ${server.path} failed to start: ${e instanceof Error ? e.message : e}`);
  }
  void session.status.refresh();
  context.subscriptions.push(session.client);
  return session;
}

function activeSession(): { session: Session; editor?: vscode.TextEditor } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.uri.scheme === "file") {
    const project = projectOf(sessions.map((s) => s.project), editor.document.uri.fsPath);
    const session = sessions.find((s) => s.project === project);
    if (session) {
      return { session, editor };
    }
  }
  return sessions.length > 0 ? { session: sessions[0] } : undefined;
}

/** What `rocky/model` answers: the server applies the project's naming rules, not the editor. */
interface WireModel {
  name: string;
  uri: string;
}

/** The model of a document, or the model called `name` in the document's project. */
async function askModel(client: LanguageClient, document: vscode.TextDocument, name?: string): Promise<WireModel | null> {
  try {
    return await client.sendRequest<WireModel | null>("rocky/model", {
      textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
      name,
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`Rocky: rocky/model failed: ${e instanceof Error ? e.message : e}`);
    return null;
  }
}

function requireSession(): Session | undefined {
  const found = activeSession();
  if (!found) {
    void vscode.window.showWarningMessage("Rocky: no rocky.toml in this workspace.");
  }
  return found?.session;
}

async function showLineage(): Promise<void> {
  const found = activeSession();
  const editor = found?.editor;
  if (!found || !editor || !found.session.client) {
    void vscode.window.showWarningMessage("Rocky: open a model file of a Rocky project (with rocky-lsp running) first.");
    return;
  }
  const client = found.session.client;
  const word = editor.document.getWordRangeAtPosition(editor.selection.active);
  let wire: WireGraph | null = null;
  try {
    // The column under the cursor; off a column, the server answers the file's whole model.
    wire = await client.sendRequest<WireGraph | null>("rocky/lineage", {
      textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`Rocky: lineage request failed: ${e instanceof Error ? e.message : e}`);
    return;
  }
  const graph = normalize(wire ?? {});
  const sourceColumn = editor.viewColumn ?? vscode.ViewColumn.One;
  const roots = graph.nodes.filter((n) => n.isRoot);
  const subject = roots.length === 1 && roots[0].column
    ? `${roots[0].table}.${roots[0].column}`
    : roots[0]?.table ?? wire?.model ?? (word ? editor.document.getText(word) : "");
  const document = editor.document;
  showLineagePanel(`Lineage: ${subject}`, graph, (clicked) => {
    void (async () => {
      const model = await askModel(client, document, clicked);
      if (model) {
        // In the editor's column, not the panel's.
        const uri = client.protocol2CodeConverter.asUri(model.uri);
        await vscode.commands.executeCommand("vscode.open", uri, { viewColumn: sourceColumn });
      } else {
        void vscode.window.showWarningMessage(`Rocky: no file found for model ${clicked}.`);
      }
    })();
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const reg = (id: string, fn: () => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg("rocky.run", () => {
    const s = requireSession();
    return s && runCli(s.project, "run project", ["run"]);
  });
  reg("rocky.runModel", async () => {
    const found = activeSession();
    const document = found?.editor?.document;
    const client = found?.session.client;
    if (!found || !document || !client) {
      void vscode.window.showWarningMessage("Rocky: open a model's .sql file (with rocky-lsp running) to run it.");
      return;
    }
    const model = await askModel(client, document);
    if (!model) {
      void vscode.window.showWarningMessage("Rocky: this file is not a model of the project; open a model's .sql file.");
      return;
    }
    return runCli(found.session.project, `run ${model.name}`, ["run", "--models", model.name]);
  });
  reg("rocky.check", () => {
    const s = requireSession();
    return s && runCli(s.project, "check project", ["check"]);
  });
  reg("rocky.warmCache", () => {
    const s = requireSession();
    return s && runCli(s.project, "warm schema cache", ["discover", "--with-schemas"]);
  });
  reg("rocky.showLineage", showLineage);
  reg("rocky.restartServer", async () => {
    for (const s of sessions) {
      if (s.client) {
        await s.client.restart();
      }
      void s.status.refresh();
    }
  });
  // A finished CLI task may have rewritten the schema cache: refresh the status bar.
  context.subscriptions.push(
    vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.definition.type === TASK_TYPE) {
        sessions.forEach((s) => void s.status.refresh());
      }
    }),
    vscode.workspace.onDidSaveTextDocument(() => sessions.forEach((s) => void s.status.refresh())),
  );

  for (const project of await findProjects()) {
    const session = await startSession(context, project);
    sessions.push(session);
    context.subscriptions.push(session.status);
  }
}

export async function deactivate(): Promise<void> {
  await Promise.all(sessions.map((s) => s.client?.stop()));
}
