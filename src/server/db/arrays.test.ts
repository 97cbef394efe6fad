import { expect, test } from "vitest";
import { boolArray, floatArray, textArray } from "./arrays";

test("array literals quote text and keep special floats", () => {
  expect(floatArray([1, 2.5, NaN, Infinity, -Infinity, null])).toBe("{1,2.5,NaN,Infinity,-Infinity,NULL}");
  expect(textArray(['a"b', "c\\d", "", null, "NULL", "{x,y}"])).toBe('{"a\\"b","c\\\\d","",NULL,"NULL","{x,y}"}');
  expect(boolArray([true, false, null])).toBe("{t,f,NULL}");
});
