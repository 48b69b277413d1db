// The official Node client: N concurrent run() calls against the emulator, the workload of
// bench/runs (poll interval 50 ms, the emulator finishing on the 3rd poll).
//   node bench_runs.mjs <base-url> <N>
import Replicate from "replicate";

const [baseUrl, n] = [process.argv[2], Number(process.argv[3] || 1000)];
const replicate = new Replicate({ auth: "r8_bench", baseUrl });
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const results = await Promise.allSettled(
  Array.from({ length: n }, () =>
    replicate.run("replicate/hello-world", {
      input: { text: "bench" },
      wait: { mode: "poll", interval: 50 },
    })
  )
);
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const failed = results.filter((r) => r.status !== "fulfilled").length;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `node ${String(n).padStart(6)} concurrent runs: ${wall.toFixed(2).padStart(6)} s wall  ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(5)} CPU s  peak RSS ` +
    `${rssMb.toFixed(1).padStart(6)} MB  failed ${failed}`
);
