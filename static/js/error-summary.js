// A form shown again with problems: the focus goes to its summary, so that a
// screen reader reads it first and the keyboard starts from its links
// (the GOV.UK error summary). Without this script the summary is still first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
