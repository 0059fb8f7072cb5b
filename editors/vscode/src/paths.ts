// Finding the `rocky-lsp` and `rocky` binaries: an explicit setting wins, then PATH, then the
// project's own build output (so a checkout of Rocky itself works without installing anything).
import * as fs from "node:fs";
import * as path from "node:path";

/** Where a binary was found and why (shown in errors so a user can fix the setting). */
export interface ResolvedBinary {
  path: string;
  via: "setting" | "PATH" | "build output";
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) {
      return path.join(dir, name);
    }
  }
  return undefined;
}

/**
 * Resolves `name` (e.g. `rocky-lsp`) for a project: `setting` (may use `${workspaceFolder}` and
 * `~`), then PATH, then `<dir>/target/{release,debug}/<name>` for `dir` = the project root and the
 * workspace folder. Returns undefined when nothing is found.
 */
export function resolveBinary(
  name: string,
  setting: string | undefined,
  projectRoot: string,
  workspaceFolder: string,
): ResolvedBinary | undefined {
  if (setting && setting.trim() !== "") {
    let p = setting.trim().replace("${workspaceFolder}", workspaceFolder);
    if (p.startsWith("~/")) {
      p = path.join(process.env.HOME ?? "", p.slice(2));
    }
    if (!path.isAbsolute(p) && p.includes(path.sep)) {
      p = path.resolve(workspaceFolder, p);
    }
    if (!path.isAbsolute(p)) {
      const found = onPath(p);
      return found ? { path: found, via: "setting" } : undefined;
    }
    return isExecutable(p) ? { path: p, via: "setting" } : undefined;
  }
  const found = onPath(name);
  if (found) {
    return { path: found, via: "PATH" };
  }
  for (const dir of new Set([projectRoot, workspaceFolder])) {
    for (const profile of ["release", "debug"]) {
      const candidate = path.join(dir, "target", profile, name);
      if (isExecutable(candidate)) {
        return { path: candidate, via: "build output" };
      }
    }
  }
  return undefined;
}
