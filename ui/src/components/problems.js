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

/** Shows a failed save: field problems next to their fields, anything else in the banner. */
export function showFailure(e, problems, error) {
  if (e.problems?.length) problems.value = e.problems;
  else error.value = e.message;
}
