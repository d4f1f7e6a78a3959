// Runs github/codeql-action's fingerprinting code for fingerprint_test.go.
// The code itself is not here: the test bundles src/fingerprints.ts from a
// codeql-action checkout and passes the bundle's path.
//
//   node oracle.js hash <bundle.js> <cases.json>
//     cases.json is [{"name": ..., "base64": ...}]; prints
//     {"<name>": [[line, "hash"], ...]} with every line hash() reported.
//   node oracle.js add <bundle.js> <log.sarif> <source root>
//     runs addFingerprints over the log and prints the resulting log
//     and every warning the action would have logged.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const [mode, bundle, ...args] = process.argv.slice(2);
const fingerprints = require(path.resolve(bundle));

async function hashCases(casesPath) {
  const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tlsvet-fp-"));
  const out = {};
  try {
    for (const c of cases) {
      // hash() reads a file, as upload-sarif does.
      const file = path.join(dir, "f");
      fs.writeFileSync(file, Buffer.from(c.base64, "base64"));
      const lines = [];
      await fingerprints.hash((line, hash) => lines.push([line, hash]), file);
      out[c.name] = lines;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function add(logPath, root) {
  const warnings = [];
  const ignore = () => {};
  const logger = { warning: (m) => warnings.push(m), info: ignore, debug: ignore, error: (m) => warnings.push(m) };
  const log = JSON.parse(fs.readFileSync(logPath, "utf8"));
  const result = await fingerprints.addFingerprints(log, path.resolve(root), logger);
  return { log: result, warnings };
}

(async () => {
  let out;
  if (mode === "hash") {
    out = await hashCases(args[0]);
  } else if (mode === "add") {
    out = await add(args[0], args[1]);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
