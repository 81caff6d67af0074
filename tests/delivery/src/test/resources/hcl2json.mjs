// Parses Terraform files with HashiCorp's HCL parser (@cdktf/hcl2json, WASM) and prints one JSON document
// mapping each path given on the command line to its parsed JSON. Exits 1 with the parser's message on the
// first file that does not parse. node_modules: $DBP_HCL2JSON, else ~/.cache/dbp-hcl2json/node_modules.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const modules = process.env.DBP_HCL2JSON || join(homedir(), ".cache", "dbp-hcl2json", "node_modules");
const require = createRequire(join(modules, "noop.js"));
const { parse } = require("@cdktf/hcl2json");

const parsed = {};
for (const file of process.argv.slice(2)) {
  try {
    parsed[file] = await parse(file, readFileSync(file, "utf8"));
  } catch (e) {
    process.stderr.write(`${file}: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(parsed));
