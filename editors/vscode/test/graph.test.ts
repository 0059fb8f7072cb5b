// Unit tests of the lineage picture (pure: normalize → layout → SVG), run with `node --test`
// after esbuild bundles them (scripts/test-editors.sh).
import assert from "node:assert/strict";
import { test } from "node:test";
import { layout, normalize, renderSvg, WireGraph } from "../src/lineage/graph";

// The shape rocky-lsp sends (serde: LineageTable is {kind, name}; kind is snake_case or null).
const wire: WireGraph = {
  root: { table: { kind: "model", name: "customer_ranking" }, column: "total_spent" },
  nodes: [
    { table: { kind: "model", name: "customer_ranking" }, column: "total_spent" },
    { table: { kind: "model", name: "customer_orders" }, column: "total_spent" },
    { table: { kind: "model", name: "stg_orders" }, column: "amount" },
    { table: { kind: "source", name: "playground.raw.orders" }, column: "amount" },
  ],
  edges: [
    { from: { table: { kind: "model", name: "customer_orders" }, column: "total_spent" }, to: { table: { kind: "model", name: "customer_ranking" }, column: "total_spent" }, kind: "copy" },
    { from: { table: { kind: "model", name: "stg_orders" }, column: "amount" }, to: { table: { kind: "model", name: "customer_orders" }, column: "total_spent" }, kind: "aggregate" },
    { from: { table: { kind: "source", name: "playground.raw.orders" }, column: "amount" }, to: { table: { kind: "model", name: "stg_orders" }, column: "amount" }, kind: "copy" },
  ],
};

test("normalize marks the root and keeps sources apart from models", () => {
  const g = normalize(wire);
  assert.equal(g.nodes.length, 4);
  assert.deepEqual(g.nodes.filter((n) => n.isRoot).map((n) => `${n.table}.${n.column}`), ["customer_ranking.total_spent"]);
  assert.deepEqual(g.nodes.filter((n) => n.kind === "source").map((n) => n.table), ["playground.raw.orders"]);
  assert.equal(g.edges.length, 3);
});

test("normalize accepts {Model: name} tables, null kinds and edge-only nodes", () => {
  const g = normalize({
    root: { table: { Model: "a" }, column: "x" },
    edges: [{ from: { table: { Source: "s.t" }, column: "x" }, to: { table: { Model: "a" }, column: "x" }, kind: null }],
  });
  assert.equal(g.nodes.length, 2);
  assert.equal(g.edges[0].kind, "key");
  assert.equal(g.nodes.find((n) => n.kind === "source")?.table, "s.t");
});

test("normalize takes the roots from {model, columns} (rocky-lsp's shape)", () => {
  const { root: _root, ...rest } = wire;
  const one = normalize({ ...rest, model: "customer_ranking", columns: ["total_spent"] });
  assert.deepEqual(one.nodes.filter((n) => n.isRoot).map((n) => n.id), ["model:customer_ranking.total_spent"]);
  const all = normalize({ ...rest, model: "customer_orders", columns: ["total_spent", "orders"] });
  assert.deepEqual(all.nodes.filter((n) => n.isRoot).map((n) => n.column).sort(), ["orders", "total_spent"]);
});

test("layout puts each node one layer right of its deepest input", () => {
  const { nodes } = layout(normalize(wire));
  const layer = Object.fromEntries(nodes.map((n) => [n.table, n.layer]));
  assert.deepEqual(layer, { "playground.raw.orders": 0, stg_orders: 1, customer_orders: 2, customer_ranking: 3 });
  // Layers go left to right.
  const x = Object.fromEntries(nodes.map((n) => [n.table, n.x]));
  assert.ok(x["playground.raw.orders"] < x.stg_orders && x.stg_orders < x.customer_orders && x.customer_orders < x.customer_ranking);
});

test("layout puts an unconnected root with the other roots on the right", () => {
  const { root: _root, ...rest } = wire;
  const g = normalize({
    ...rest,
    model: "customer_ranking",
    columns: ["total_spent", "spend_rank"],
    nodes: [...(wire.nodes ?? []), { table: { kind: "model", name: "customer_ranking" }, column: "spend_rank" }],
  });
  const { nodes } = layout(g);
  const at = (c: string) => nodes.find((n) => n.table === "customer_ranking" && n.column === c)?.layer;
  assert.equal(at("spend_rank"), 3);
  assert.equal(at("total_spent"), 3);
});

test("layout stacks nodes of one layer without overlap and survives a cycle", () => {
  const g = normalize({
    edges: [
      { from: { table: "a", column: "x" }, to: { table: "c", column: "x" }, kind: "copy" },
      { from: { table: "b", column: "y" }, to: { table: "c", column: "x" }, kind: "expression" },
      { from: { table: "c", column: "x" }, to: { table: "a", column: "x" }, kind: "copy" },
    ],
  });
  const { nodes } = layout(g);
  assert.equal(nodes.length, 3);
  const seen = new Set(nodes.map((n) => `${n.x},${n.y}`));
  assert.equal(seen.size, 3);
});

test("renderSvg draws one node group per column, one arrow and one label per edge, and escapes names", () => {
  const svg = renderSvg(normalize({
    ...wire,
    nodes: [...(wire.nodes ?? []), { table: { kind: "model", name: "we<ird" }, column: "a&b" }],
  }));
  assert.equal((svg.match(/<g class="node/g) ?? []).length, 5);
  assert.equal((svg.match(/<path class="edge/g) ?? []).length, 3);
  assert.equal((svg.match(/marker-end="url\(#arrow\)"/g) ?? []).length, 3);
  assert.match(svg, />aggregate<\/text>/);
  assert.match(svg, /data-model="customer_orders"/);
  assert.doesNotMatch(svg, /data-model="playground.raw.orders"/); // sources are not clickable
  assert.match(svg, /we&#60;ird/);
  assert.doesNotMatch(svg, /we<ird/);
  assert.match(svg, /class="node model root"/);
});
