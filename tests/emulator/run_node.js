// Runs one Node handler as Lambda would call it, against the emulator: `node run_node.js FILE
// EXPORT`, with the function's resolved environment and the SDK's own variables
// (AWS_ENDPOINT_URL, AWS_REGION, credentials) set by the caller. The event is read as JSON from
// standard input. Prints one JSON line: the handler's answer and every Kinesis call it made
// (each command's name and input, recorded on the SDK client's `send`), or its error.
//
// One shim, on the transport only: the SDK's Kinesis client speaks HTTP/2 (as Kinesis does),
// and moto's server only HTTP/1.1, so the handler's `require("@aws-sdk/client-kinesis")` gets
// the real module with a `KinesisClient` whose default request handler is the SDK's HTTP/1.1
// one. The handler's code, its commands and their inputs are unchanged.
const path = require("path");
const Module = require("module");
const real = require("@aws-sdk/client-kinesis");
const { NodeHttpHandler } = require("@smithy/node-http-handler");

const calls = [];
class KinesisClient extends real.KinesisClient {
  constructor(config = {}) {
    super({ requestHandler: new NodeHttpHandler(), ...config });
  }
  send(command, ...rest) {
    calls.push([command.constructor.name.replace(/Command$/, ""), command.input]);
    return super.send(command, ...rest);
  }
}
const shimmed = { ...real, KinesisClient };
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === "@aws-sdk/client-kinesis" ? shimmed : load.call(this, request, ...rest);
};

async function main() {
  const [file, name] = process.argv.slice(2);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const event = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  const handler = require(path.resolve(file))[name];
  if (typeof handler !== "function") throw new Error(`${file} exports no function ${name}`);
  const result = await handler(event, {});
  const json = (v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v);
  process.stdout.write(JSON.stringify({ result: result ?? null, calls }, (k, v) => json(v)) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack || e), calls }) + "\n");
  process.exitCode = 1;
});
