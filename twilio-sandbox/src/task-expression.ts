/**
 * TaskRouter's `EvaluateTaskAttributes` filter, for the part of its expression language the
 * stand-in evaluates: comparisons `attribute == value` and `attribute != value` (attribute a
 * dotted path into the task's attributes; value a quoted string, a number, true, false or
 * null), joined by AND and OR (AND binds tighter; `&&` and `||` as well). Anything else is
 * refused with an error naming what is not supported, rather than silently matching all.
 */
export type TaskAttributesPredicate = (attributes: Record<string, unknown>) => boolean;

export class UnsupportedExpressionError extends Error {}

type Token = { kind: 'path'; text: string } | { kind: 'value'; value: unknown } | { kind: 'op'; text: '==' | '!=' } | { kind: 'join'; text: 'and' | 'or' };

const TOKEN = /\s*(?:(==|!=)|(&&|\|\|)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*))/y;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new UnsupportedExpressionError(`cannot read the expression at "${expression.slice(at).trim().slice(0, 20)}"`);
    const [, op, symbolJoin, single, double, number, word] = match;
    if (op) tokens.push({ kind: 'op', text: op as '==' | '!=' });
    else if (symbolJoin) tokens.push({ kind: 'join', text: symbolJoin === '&&' ? 'and' : 'or' });
    else if (single !== undefined || double !== undefined) tokens.push({ kind: 'value', value: (single ?? double)!.replace(/\\(.)/g, '$1') });
    else if (number !== undefined) tokens.push({ kind: 'value', value: Number(number) });
    else if (/^(and|or)$/i.test(word!)) tokens.push({ kind: 'join', text: word!.toLowerCase() as 'and' | 'or' });
    else if (/^(true|false|null)$/i.test(word!)) tokens.push({ kind: 'value', value: JSON.parse(word!.toLowerCase()) });
    else if (/^(in|not|has|contains)$/i.test(word!))
      throw new UnsupportedExpressionError(`the operator ${word!.toUpperCase()} is not supported by the stand-in (only == and !=, joined by AND or OR)`);
    else tokens.push({ kind: 'path', text: word! });
  }
  return tokens;
}

function read(attributes: Record<string, unknown>, path: string): unknown {
  let current: unknown = attributes;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function compileTaskExpression(expression: string): TaskAttributesPredicate {
  const tokens = tokenize(expression);
  if (tokens.length === 0) throw new UnsupportedExpressionError('the expression is empty');
  // OR of ANDs of comparisons.
  const alternatives: TaskAttributesPredicate[][] = [[]];
  for (let i = 0; i < tokens.length;) {
    const [left, op, right] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (left?.kind !== 'path' || op?.kind !== 'op' || right?.kind !== 'value') {
      throw new UnsupportedExpressionError('expected a comparison such as conversationSid == "CH..." (only == and !=, joined by AND or OR)');
    }
    const equal = (attributes: Record<string, unknown>) => read(attributes, left.text) === right.value;
    alternatives.at(-1)!.push(op.text === '==' ? equal : (attributes) => !equal(attributes));
    i += 3;
    if (i === tokens.length) break;
    const join = tokens[i];
    if (join?.kind !== 'join' || i + 1 === tokens.length) throw new UnsupportedExpressionError('expected AND or OR between comparisons');
    if (join.text === 'or') alternatives.push([]);
    i += 1;
  }
  return (attributes) => alternatives.some((all) => all.every((comparison) => comparison(attributes)));
}
