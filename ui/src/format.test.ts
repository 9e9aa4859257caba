import { describe, expect, it } from "vitest";
import { formatHours, localIsoDate } from "./format";
import { toAppError } from "./ipc";

describe("formatHours", () => {
  it("writes whole and fractional hours like the notice", () => {
    expect(formatHours(24)).toBe("24学时");
    expect(formatHours(1.5)).toBe("1.5学时");
    expect(formatHours(0.1 + 0.2)).toBe("0.3学时");
  });
});

describe("localIsoDate", () => {
  it("pads month and day", () => {
    expect(localIsoDate(new Date(2019, 4, 7))).toBe("2019-05-07");
  });
});

describe("toAppError", () => {
  it("keeps a shell error and wraps anything else", () => {
    expect(toAppError({ code: "rule_set", message: "x" })).toEqual({ code: "rule_set", message: "x" });
    expect(toAppError("boom").code).toBe("internal");
  });
});
