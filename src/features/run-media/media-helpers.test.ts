import { describe, expect, test } from "vitest";
import { csvDelimiter, parseCsv } from "./csv";
import { chartShape, fileKind, isChartFile } from "./file-kind";
import { buildTree, treeSize } from "./file-tree";
import { fileUrl } from "./file-url";
import { entryAtStep } from "./image-compare";

describe("parseCsv", () => {
  test("quoted fields hold delimiters, newlines and doubled quotes", () => {
    expect(parseCsv('name,note\r\n"a, b","say ""hi""\nthere"\nplain,\n')).toEqual([["name", "note"], ["a, b", 'say "hi"\nthere'], ["plain", ""]]);
  });
  test("a last row without a newline counts; a cut text drops its partial row", () => {
    expect(parseCsv("a,b\n1,2")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("a,b\n1,2\n3,", { complete: false })).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv('a\n"open quote', { complete: false })).toEqual([["a"]]);
  });
  test("stops at maxRows, strips a byte-order mark, reads tabs", () => {
    expect(parseCsv("\ufeffh\n1\n2\n3\n", { maxRows: 2 })).toEqual([["h"], ["1"]]);
    expect(parseCsv("a\tb\n1\t2\n", { delimiter: csvDelimiter("x.tsv", null) })).toEqual([["a", "b"], ["1", "2"]]);
    expect(csvDelimiter("x.csv", "text/csv")).toBe(",");
  });
});

describe("file kinds and chart shapes", () => {
  test("suffixes and content types decide the kind", () => {
    expect(fileKind("charts/acc.echarts.json", "application/json")).toBe("echarts");
    expect(fileKind("fig", "application/vnd.plotly.v1+json")).toBe("plotly");
    expect(fileKind("charts/roc.plotly.json", null)).toBe("plotly");
    expect(fileKind("report.html", "application/octet-stream")).toBe("html");
    expect(fileKind("sample", "image/png")).toBe("image");
    expect(fileKind("data.tsv", null)).toBe("csv");
    expect(fileKind("config.json", "application/json")).toBe("json");
    expect(fileKind("train.log", null)).toBe("text");
    expect(fileKind("weights.pt", "application/octet-stream")).toBe("other");
    expect(isChartFile("config.json", "application/json")).toBe(false);
    expect(isChartFile("page.htm", null)).toBe(true);
  });
  test("JSON objects are recognised as ECharts options or Plotly figures", () => {
    expect(chartShape({ xAxis: {}, yAxis: {}, series: [{ type: "line", data: [1] }] })).toBe("echarts");
    expect(chartShape({ series: [{ type: "pie", data: [] }] })).toBe("echarts");
    expect(chartShape({ series: [{ data: [] }] })).toBeNull();
    expect(chartShape({ data: [{ type: "scatter", x: [1], y: [2] }], layout: { title: "t" } })).toBe("plotly");
    expect(chartShape({ data: [{ x: 1 }], other: true })).toBeNull();
    expect(chartShape({ data: [] })).toBeNull();
    expect(chartShape([1, 2])).toBeNull();
    expect(chartShape({ lr: 0.1 })).toBeNull();
  });
});

test("buildTree nests by path segment, folders first, and sums sizes", () => {
  const f = (path: string, size: number) => ({ path, type: "file" as const, size, contentType: null, sha256: null, count: null, firstStep: null, lastStep: null });
  const root = buildTree([f("z.txt", 1), f("model/b.bin", 10), f("model", 5), f("a/deep/x", 2)]);
  expect(root.children.map((c) => c.name)).toEqual(["a", "model", "z.txt"]);
  const model = root.children[1];
  expect(model.file?.size).toBe(5);
  expect(model.children.map((c) => c.path)).toEqual(["model/b.bin"]);
  expect(treeSize(root)).toBe(18);
});

test("fileUrl encodes segments and adds step and share token", () => {
  expect(fileUrl("r1", "images/a b", { step: 3, shareToken: "t/k" })).toBe("/api/v1/runs/r1/files/images/a%20b?step=3&share=t%2Fk");
  expect(fileUrl("r1", "x.txt")).toBe("/api/v1/runs/r1/files/x.txt");
});

test("entryAtStep takes the step or the latest one before it", () => {
  const e = (step: number) => ({ step, name: null, description: null, size: 1, contentType: "image/png", sha256: "" });
  const list = [e(1), e(5), e(9)];
  expect(entryAtStep(list, 5)?.step).toBe(5);
  expect(entryAtStep(list, 8)?.step).toBe(5);
  expect(entryAtStep(list, 0)).toBeNull();
});

test("terminalText drops colour codes and keeps what a carriage return left", async () => {
  const { terminalText } = await import("./terminal-text");
  expect(terminalText("\x1b[32mok\x1b[0m done")).toBe("ok done");
  expect(terminalText("10%|#   |\r50%|##  |\r100%|####|")).toBe("100%|####|");
  expect(terminalText("progress 3/3\r\nnext line\r")).toBe("progress 3/3\nnext line");
  expect(terminalText("\x1b]8;;http://x\x07link\x1b]8;;\x07")).toBe("link");
});
