import { describe, expect, it } from "vitest";
import { RelayBudget } from "./relay-budget";

describe("RelayBudget", () => {
  it("allows one upload per server at a time", () => {
    const budget = new RelayBudget(100);
    const release = budget.reserve("a", 10);
    expect(release).not.toBeNull();
    expect(budget.reserve("a", 10)).toBeNull();
    expect(budget.reserve("b", 10)).not.toBeNull();
    release!();
    expect(budget.reserve("a", 10)).not.toBeNull();
  });

  it("refuses what would pass the total, and gives bytes back once, however often released", () => {
    const budget = new RelayBudget(100);
    const first = budget.reserve("a", 60)!;
    expect(budget.reserve("b", 41)).toBeNull();
    const second = budget.reserve("b", 40)!;
    expect(budget.inFlightBytes()).toBe(100);
    first();
    first();
    expect(budget.inFlightBytes()).toBe(40);
    second();
    expect(budget.inFlightBytes()).toBe(0);
    expect(budget.reserve("c", 101)).toBeNull();
  });
});
