import * as ts from 'typescript';

/** A call that waits a fixed time longer than the limit, found in a source file. */
export interface FixedSleep {
  line: number;
  ms: number;
  text: string;
}

const WAIT_CALLEES = new Set(['setTimeout', 'sleep', 'delay', 'wait']);

/**
 * A timer callback that only fails the wait (calls `reject`, throws): a deadline bounding a wait
 * for state, which the test never waits out when the state comes.
 */
function failsTheWait(callback: ts.Expression | undefined): boolean {
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)))
    return false;
  let fails = false;
  let proceeds = false;
  const visit = (node: ts.Node): void => {
    if (ts.isThrowStatement(node)) fails = true;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      if (node.expression.text === 'reject') fails = true;
      else if (node.expression.text === 'resolve') proceeds = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return fails && !proceeds;
}

/**
 * Calls of setTimeout/sleep/delay/wait whose delay is a numeric literal, a constant
 * expression of literals, or a const of the same file with such a value, longer than limitMs.
 * Delays computed at run time (deadlines, parameters) are not fixed sleeps and are skipped, and
 * so are deadlines with a fixed delay: setTimeout whose callback only rejects or throws.
 */
export function findFixedSleeps(fileName: string, source: string, limitMs: number): FixedSleep[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.Expression>();
  const collect = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    )
      consts.set(node.name.text, node.initializer);
    ts.forEachChild(node, collect);
  };
  collect(file);

  const value = (e: ts.Expression, depth = 0): number | undefined => {
    if (depth > 5) return undefined;
    if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
    if (ts.isParenthesizedExpression(e)) return value(e.expression, depth + 1);
    if (ts.isIdentifier(e)) {
      const init = consts.get(e.text);
      return init ? value(init, depth + 1) : undefined;
    }
    if (ts.isBinaryExpression(e)) {
      const l = value(e.left, depth + 1);
      const r = value(e.right, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (e.operatorToken.kind) {
        case ts.SyntaxKind.AsteriskToken:
          return l * r;
        case ts.SyntaxKind.PlusToken:
          return l + r;
        case ts.SyntaxKind.MinusToken:
          return l - r;
        case ts.SyntaxKind.SlashToken:
          return l / r;
        default:
          return undefined;
      }
    }
    return undefined;
  };

  const found: FixedSleep[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = ts.isIdentifier(node.expression)
        ? node.expression.text
        : ts.isPropertyAccessExpression(node.expression)
          ? node.expression.name.text
          : undefined;
      if (callee && WAIT_CALLEES.has(callee)) {
        // setTimeout(fn, ms); sleep(ms), delay(ms), wait(ms) and timers/promises' setTimeout(ms).
        const arg =
          callee === 'setTimeout' && node.arguments.length >= 2
            ? node.arguments[1]
            : node.arguments[0];
        const ms = arg ? value(arg) : undefined;
        const deadline = callee === 'setTimeout' && failsTheWait(node.arguments[0]);
        if (ms !== undefined && ms > limitMs && !deadline)
          found.push({
            line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1,
            ms,
            text: node.getText().replace(/\s+/g, ' ').slice(0, 120),
          });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
