// Field problems from the core, grouped by field for display next to each input.

/** Groups `[{field, code, message, severity}]` into `{field: [problem, ...]}`. */
export function byField(problems) {
  const grouped = {};
  for (const problem of problems || []) {
    (grouped[problem.field] ||= []).push(problem);
  }
  return grouped;
}

/** True when any problem is an error (warnings do not block saving). */
export function hasErrors(problems) {
  return (problems || []).some((p) => p.severity === 'error');
}
