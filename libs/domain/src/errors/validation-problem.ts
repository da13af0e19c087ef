/** One thing wrong with an input: `field` is a path into the input (e.g. `include[0].when[1].path`). */
export interface ValidationProblem {
  readonly field: string;
  readonly message: string;
}
