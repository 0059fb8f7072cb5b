// Rocky projects inside the workspace: a folder with a rocky.toml is a project root.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";

/** One Rocky project: its root folder (holding rocky.toml) and the workspace folder it is in. */
export interface RockyProject {
  root: string;
  folder: vscode.WorkspaceFolder;
}

/** Project roots in the workspace: each folder's own rocky.toml, else nested ones (not under
 * build output or node_modules). */
export async function findProjects(): Promise<RockyProject[]> {
  const projects: RockyProject[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== "file") {
      continue;
    }
    if (fs.existsSync(path.join(folder.uri.fsPath, "rocky.toml"))) {
      projects.push({ root: folder.uri.fsPath, folder });
      continue;
    }
    const nested = await vscode.workspace.findFiles(
      new vscode.RelativePattern(folder, "**/rocky.toml"),
      "{**/node_modules/**,**/target/**,**/.git/**}",
      50,
    );
    for (const uri of nested) {
      projects.push({ root: path.dirname(uri.fsPath), folder });
    }
  }
  return projects;
}

/** The project a file belongs to: the deepest project root containing it. */
export function projectOf(projects: RockyProject[], file: string): RockyProject | undefined {
  let best: RockyProject | undefined;
  for (const p of projects) {
    const rel = path.relative(p.root, file);
    if (!rel.startsWith("..") && !path.isAbsolute(rel)) {
      if (!best || p.root.length > best.root.length) {
        best = p;
      }
    }
  }
  return best;
}
