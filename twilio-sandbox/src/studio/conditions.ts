/** A `split-based-on` condition as the flow definition stores it. */
export interface SplitCondition {
  friendly_name: string;
  arguments: string[];
  type: string;
  value: string;
}

/**
 * Whether the widget's rendered input meets one condition. As Studio documents, comparisons
 * ignore case and leading and trailing spaces; `matches_any_of` takes a comma-separated list.
 * Date and time comparisons are not emulated and never match.
 */
export function conditionHolds(input: string, condition: SplitCondition, renderValue: (v: string) => string): boolean {
  const subject = input.trim().toLowerCase();
  const value = renderValue(condition.value).trim().toLowerCase();
  const list = () => value.split(',').map((v) => v.trim());
  switch (condition.type) {
    case 'equal_to':
      return subject === value;
    case 'not_equal_to':
      return subject !== value;
    case 'matches_any_of':
      return list().includes(subject);
    case 'does_not_match_any_of':
      return !list().includes(subject);
    case 'is_blank':
      return subject === '';
    case 'is_not_blank':
      return subject !== '';
    case 'contains':
      return subject.includes(value);
    case 'starts_with':
      return subject.startsWith(value);
    case 'regex':
      return safeRegex(renderValue(condition.value).trim())?.test(input.trim()) ?? false;
    case 'less_than':
      return numeric(subject, value, (a, b) => a < b);
    case 'greater_than':
      return numeric(subject, value, (a, b) => a > b);
    default:
      return false;
  }
}

function numeric(a: string, b: string, compare: (a: number, b: number) => boolean): boolean {
  const x = Number(a);
  const y = Number(b);
  return a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y) && compare(x, y);
}

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined;
  }
}
