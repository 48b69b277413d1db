// The official Node client (replicate@1.4.0) constructed and left idle: peak RSS and RssAnon of
// the process, the counterpart of bench_runs' "idle client" line.
//   node idle.mjs <node_modules dir that holds replicate>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.argv[2] || "node_modules";
const { default: Replicate } = await import(
  pathToFileURL(join(modules, "replicate", "index.js")).href
);
new Replicate({ auth: "r8_idle", baseUrl: "http://127.0.0.1:1/v1" });

// Let start-up work (module compilation, the first GC) settle before reading.
setTimeout(() => {
  const status = readFileSync("/proc/self/status", "utf8");
  const mb = (field) =>
    Number(status.match(new RegExp(`^${field}:\\s+(\\d+)`, "m"))[1]) / 1024;
  console.log(
    `node idle client: peak RSS ${mb("VmHWM").toFixed(1)} MB, RssAnon ${mb("RssAnon").toFixed(1)} MB`
  );
}, 200);
