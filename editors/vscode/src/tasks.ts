// The CLI commands (run, run one model, check, warm the schema cache) as VS Code tasks, so their
// output shows in the terminal panel with problem matching and the usual task UI.
import * as vscode from "vscode";
import { resolveBinary } from "./paths";
import { RockyProject } from "./project";

/** The task definition type contributed in package.json (`taskDefinitions`). */
export const TASK_TYPE = "rocky";

/** Finds the `rocky` CLI for a project (setting `rocky.cliPath`, PATH, build output). */
export function resolveCli(project: RockyProject): string | undefined {
  const setting = vscode.workspace.getConfiguration("rocky", project.folder.uri).get<string>("cliPath");
  return resolveBinary("rocky", setting, project.root, project.folder.uri.fsPath)?.path;
}

/** A task running `rocky <args>` in the project root. */
export function cliTask(project: RockyProject, cli: string, title: string, args: string[]): vscode.Task {
  const task = new vscode.Task(
    { type: TASK_TYPE, args },
    project.folder,
    title,
    "rocky",
    new vscode.ShellExecution(cli, args, { cwd: project.root }),
    [],
  );
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    panel: vscode.TaskPanelKind.Dedicated,
    clear: true,
  };
  return task;
}

/** Runs `rocky <args>` for a project as a task; explains how to fix a missing CLI. */
export async function runCli(project: RockyProject, title: string, args: string[]): Promise<void> {
  const cli = resolveCli(project);
  if (!cli) {
    const choice = await vscode.window.showErrorMessage(
      "Rocky: the `rocky` CLI was not found (setting rocky.cliPath, PATH, target/{release,debug}/rocky).",
      "Open settings",
    );
    if (choice) {
      await vscode.commands.executeCommand("workbench.action.openSettings", "rocky.cliPath");
    }
    return;
  }
  await vscode.tasks.executeTask(cliTask(project, cli, title, args));
}
