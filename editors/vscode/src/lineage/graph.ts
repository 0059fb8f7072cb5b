// The `rocky/lineage` result, normalized, laid out in layers by depth, and drawn as SVG. Pure
// functions (no vscode import), so the picture is decided here and the webview only shows it.

/** A table as the server names it: `{kind: "model"|"source", name}` (serde's tagged enum);
 * `{Model: name}` / `{Source: name}` and plain strings are accepted too. */
export type WireTable = { kind: string; name: string } | { Model: string } | { Source: string } | string;

export interface WireColumnRef {
  table: WireTable;
  column?: string | null;
}

export interface WireEdge {
  from: WireColumnRef;
  to: WireColumnRef;
  kind?: string | null;
}

/** The result of `rocky/lineage`: the graph around `model`'s `columns` (one column when asked
 * about the column under the cursor, every column for a whole model). An explicit `root` is
 * accepted too. */
export interface WireGraph {
  root?: WireColumnRef | null;
  model?: string | null;
  columns?: string[] | null;
  nodes?: WireColumnRef[];
  edges?: WireEdge[];
}

export interface LineageNode {
  id: string;
  kind: "model" | "source";
  table: string;
  /** Empty for a model-level node or a key-only use. */
  column: string;
  /** One of the columns the graph was asked about. */
  isRoot: boolean;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: { from: string; to: string; kind: string }[];
}

function table(t: WireTable): { kind: "model" | "source"; name: string } {
  if (typeof t === "string") {
    return { kind: "model", name: t };
  }
  if ("kind" in t) {
    return { kind: t.kind.toLowerCase() === "source" ? "source" : "model", name: t.name };
  }
  if ("Source" in t) {
    return { kind: "source", name: t.Source };
  }
  return { kind: "model", name: t.Model };
}

function nodeOf(ref: WireColumnRef, roots: Set<string>): LineageNode {
  const t = table(ref.table);
  const column = ref.column ?? "";
  const id = `${t.kind}:${t.name}.${column}`.toLowerCase();
  return { id, kind: t.kind, table: t.name, column, isRoot: roots.has(id) };
}

/** The refs the graph was asked about: `root`, else `model` × `columns`. */
function rootsOf(wire: WireGraph): WireColumnRef[] {
  if (wire.root) {
    return [wire.root];
  }
  if (wire.model) {
    const model = wire.model;
    return (wire.columns ?? []).map((column) => ({ table: { kind: "model", name: model }, column }));
  }
  return [];
}

/** Normalizes the server's graph; edges' endpoints become nodes even if `nodes` omits them. */
export function normalize(wire: WireGraph): LineageGraph {
  const rootRefs = rootsOf(wire);
  const roots = new Set(rootRefs.map((r) => nodeOf(r, new Set()).id));
  const nodes = new Map<string, LineageNode>();
  const add = (ref: WireColumnRef) => {
    const n = nodeOf(ref, roots);
    if (!nodes.has(n.id)) {
      nodes.set(n.id, n);
    }
    return n.id;
  };
  rootRefs.forEach(add);
  for (const n of wire.nodes ?? []) {
    add(n);
  }
  const edges = (wire.edges ?? []).map((e) => ({ from: add(e.from), to: add(e.to), kind: e.kind ?? "key" }));
  return { nodes: [...nodes.values()], edges };
}

export interface Placed extends LineageNode {
  layer: number;
  x: number;
  y: number;
}

export const NODE_W = 180;
export const NODE_H = 44;
const COL_GAP = 80;
const ROW_GAP = 22;
const MARGIN = 24;

/**
 * Layers by depth: a node's layer is the longest path from a node with no inputs (sources on the
 * left, the deepest consumers on the right). Cycles (which a valid project has not) are broken by
 * ignoring back edges found by the depth-first walk.
 */
export function layout(graph: LineageGraph): { nodes: Placed[]; width: number; height: number } {
  const inputs = new Map<string, string[]>();
  for (const n of graph.nodes) {
    inputs.set(n.id, []);
  }
  for (const e of graph.edges) {
    inputs.get(e.to)?.push(e.from);
  }
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) {
      return known;
    }
    if (visiting.has(id)) {
      return 0;
    }
    visiting.add(id);
    let d = 0;
    for (const from of inputs.get(id) ?? []) {
      d = Math.max(d, depth(from) + 1);
    }
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  graph.nodes.forEach((n) => depth(n.id));
  // A root that nothing feeds and nothing reads (e.g. `rank() over (...)`) stands with the other
  // roots on the right, not among the sources.
  const linked = new Set(graph.edges.flatMap((e) => [e.from, e.to]));
  const last = Math.max(0, ...layer.values());
  for (const n of graph.nodes) {
    if (n.isRoot && !linked.has(n.id)) {
      layer.set(n.id, last);
    }
  }

  const byLayer = new Map<number, LineageNode[]>();
  for (const n of graph.nodes) {
    const l = layer.get(n.id) ?? 0;
    byLayer.set(l, [...(byLayer.get(l) ?? []), n]);
  }
  const placed: Placed[] = [];
  let rows = 0;
  const layers = [...byLayer.keys()].sort((a, b) => a - b);
  for (const l of layers) {
    const members = (byLayer.get(l) ?? []).sort(
      (a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column),
    );
    rows = Math.max(rows, members.length);
    members.forEach((n, i) => {
      placed.push({ ...n, layer: l, x: MARGIN + l * (NODE_W + COL_GAP), y: MARGIN + i * (NODE_H + ROW_GAP) });
    });
  }
  const width = MARGIN * 2 + Math.max(1, layers.length) * NODE_W + Math.max(0, layers.length - 1) * COL_GAP;
  const height = MARGIN * 2 + Math.max(1, rows) * NODE_H + Math.max(0, rows - 1) * ROW_GAP;
  return { nodes: placed, width, height };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The whole picture as one `<svg>`: nodes (`g.node`, `data-model` on model nodes, clickable),
 * edges as arrows (`path.edge`) with their derivation kind as a label. */
export function renderSvg(graph: LineageGraph): string {
  const { nodes, width, height } = layout(graph);
  const at = new Map(nodes.map((n) => [n.id, n]));
  const parts: string[] = [];
  parts.push(
    // Shrinks to the panel's width, but not below 900 px (then the panel scrolls): small text
    // is worse than scrolling.
    `<svg xmlns="http://www.w3.org/2000/svg" class="lineage" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" style="min-width: ${Math.min(width, 900)}px" role="img" aria-label="column lineage">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
  );
  for (const e of graph.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) {
      continue;
    }
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const d = b.layer > a.layer
      ? `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`
      : `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${a.y + NODE_H + 40} ${b.x + NODE_W / 2},${b.y + NODE_H + 40} ${b.x + NODE_W / 2},${b.y + NODE_H}`;
    const lx = b.layer > a.layer ? mx : (a.x + b.x + NODE_W) / 2;
    const ly = b.layer > a.layer ? (y1 + y2) / 2 - 4 : Math.max(a.y, b.y) + NODE_H + 30;
    parts.push(
      `<g class="edge-group" data-kind="${esc(e.kind)}"><path class="edge kind-${esc(e.kind)}" d="${d}" marker-end="url(#arrow)"/>`,
      `<text class="edge-label" x="${lx}" y="${ly}" text-anchor="middle">${esc(e.kind)}</text></g>`,
    );
  }
  for (const n of nodes) {
    const classes = ["node", n.kind, n.isRoot ? "root" : ""].filter(Boolean).join(" ");
    const data = n.kind === "model" ? ` data-model="${esc(n.table)}"` : "";
    const title = `${n.kind} ${n.table}${n.column ? `.${n.column}` : ""}`;
    const columnText = n.column === "" ? (n.kind === "model" ? "(model)" : "") : n.column;
    parts.push(
      `<g class="${classes}"${data} transform="translate(${n.x},${n.y})" tabindex="0"><title>${esc(title)}</title>`,
      `<rect width="${NODE_W}" height="${NODE_H}" rx="6" ry="6"/>`,
      `<text class="table" x="10" y="17">${esc(clip(n.table, 25))}</text>`,
      `<text class="column" x="10" y="35">${esc(clip(columnText, 25))}</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}
