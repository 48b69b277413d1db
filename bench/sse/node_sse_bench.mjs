// The official Node client's SSE parsing (replicate@1.4.0: lib/stream.js pipes the response body
// through TextDecoderStream and the vendored eventsource-parser 1.1.2 EventSourceParserStream) on
// the same streams as bench_sse_tokenizer, for comparison. Run through run_node_bench.sh, which
// installs the package.
//
//   node node_sse_bench.mjs <node_modules dir> [megabytes=4]
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

const modules = process.argv[2];
const megabytes = Number(process.argv[3] ?? 4);
const require = createRequire(path.join(modules, "replicate", "package.json"));
const { EventSourceParserStream } = require("./vendor/eventsource-parser/stream.js");

// The parser core alone (createParser is not exported): load the vendored file with an export
// added, so the comparison can also leave out the WHATWG streams machinery.
function loadCreateParser() {
  const file = path.join(modules, "replicate", "vendor", "eventsource-parser", "stream.js");
  const source = readFileSync(file, "utf8") + "\nmodule.exports.createParser = createParser;\n";
  const module = { exports: {} };
  vm.runInThisContext(`(function (module, exports, require) {${source}\n})`)(
    module, module.exports, require);
  return module.exports.createParser;
}
const createParser = loadCreateParser();

function replicateStream(payload, total) {
  let data = "";
  for (let i = 0; i < payload; i++) data += String.fromCharCode(97 + (i % 26));
  const parts = [];
  let size = 0;
  for (let n = 0; size < total; n++) {
    const ev = `event: output\nid: 1690212292:${n}\ndata: ${data}\n\n`;
    parts.push(ev);
    size += ev.length;
  }
  return Buffer.from(parts.join(""), "latin1");
}

function chunksOf(bytes, chunk) {
  const out = [];
  for (let at = 0; at < bytes.length; at += chunk) out.push(bytes.subarray(at, at + chunk));
  return out;
}

async function viaStreams(chunks) {
  let events = 0;
  let i = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
  const stream = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const event of stream) {
    if (event.event === "output") events++;
  }
  return events;
}

function viaParser(chunks) {
  let events = 0;
  const decoder = new TextDecoder();
  const parser = createParser((event) => {
    if (event.type === "event") events++;
  });
  for (const c of chunks) parser.feed(decoder.decode(c, { stream: true }));
  return events;
}

const pad = (s, n) => String(s).padStart(n);
console.log(`replicate@1.4.0 (eventsource-parser 1.1.2) on Node ${process.version}, ` +
            `${megabytes} MB streams, best of 3\n`);
console.log(`${"path".padEnd(22)} ${"event data".padEnd(10)} ${pad("chunk", 6)} ` +
            `${pad("MB/s", 8)} ${pad("Mevents/s", 10)}`);
for (const payload of [64, 4096]) {
  const bytes = replicateStream(payload, megabytes << 20);
  for (const chunk of [97, 1024, 16384, 65536]) {
    const chunks = chunksOf(bytes, chunk);
    for (const [name, run] of [["parser + TextDecoder", viaParser], ["client streams", viaStreams]]) {
      let best = Infinity;
      let events = 0;
      for (let r = 0; r < 3; r++) {
        const t0 = process.hrtime.bigint();
        events = await run(chunks);
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        best = Math.min(best, s);
      }
      console.log(`${name.padEnd(22)} ${(payload === 64 ? "64 B" : "4 KB").padEnd(10)} ` +
                  `${pad(chunk, 6)} ${pad((bytes.length / 1048576 / best).toFixed(0), 8)} ` +
                  `${pad((events / best / 1e6).toFixed(2), 10)}`);
    }
  }
}
