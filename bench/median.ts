// The middle of a few repeated measurements: one noisy spell on a shared machine moves it less than
// it moves a mean.
export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error("no measurements");
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
};
