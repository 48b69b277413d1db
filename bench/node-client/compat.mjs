// The official Node client (replicate@1.4.0), unchanged, against the emulator: run (block and
// poll), predictions create/get/cancel/list, and pagination. Exits non-zero on any failure.
//   node compat.mjs <base-url>
import Replicate from "replicate";

const baseUrl = process.argv[2];
const replicate = new Replicate({ auth: "r8_node_compat", baseUrl });
let failures = 0;
function check(what, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
}

try {
  const out = await replicate.run("replicate/hello-world", { input: { text: "node" } });
  check("run (Prefer: wait)", out === "hello node", JSON.stringify(out));

  const polled = await replicate.run("replicate/hello-world", {
    input: { text: "poll" },
    wait: { mode: "poll", interval: 50 },
  });
  check("run (poll)", polled === "hello poll", JSON.stringify(polled));

  const model = await replicate.models.get("replicate", "hello-world");
  const version = model.latest_version.id;
  check("models.get", /^[0-9a-f]{64}$/.test(version), version);

  const created = await replicate.predictions.create({ version, input: { text: "create" } });
  check("predictions.create", created.status === "starting" || created.status === "processing");
  const waited = await replicate.wait(created, { interval: 50 });
  check("wait", waited.status === "succeeded" && waited.output === "hello create");
  const got = await replicate.predictions.get(created.id);
  check("predictions.get", got.id === created.id && got.status === "succeeded");

  const slow = await replicate.predictions.create({
    model: "replicate/slow", input: { seconds: 30 } });
  const canceled = await replicate.predictions.cancel(slow.id);
  check("predictions.cancel", canceled.status === "canceled", canceled.status);

  const first = await replicate.predictions.list();
  check("predictions.list", Array.isArray(first.results) && first.results.length > 0);
  let pages = 0;
  let items = 0;
  for await (const page of replicate.paginate(replicate.predictions.list)) {
    pages++;
    items += page.length;
  }
  check("paginate", pages >= 2 && items >= 4, `${pages} pages, ${items} predictions`);
} catch (e) {
  check("no exception", false, String(e && e.stack ? e.stack : e));
}
console.log(`${failures === 0 ? "all passed" : failures + " failed"}`);
process.exit(failures === 0 ? 0 : 1);
