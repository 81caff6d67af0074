// A KServe v2 gRPC client that knows nothing of this codebase: @grpc/grpc-js with the protocol's proto loaded at run
// time by @grpc/proto-loader (as KServe's and Triton's own examples do). Usage:
//   node oip-client.mjs NODE_MODULES_DIR PROTO_FILE HOST:PORT TOKEN MODEL
// (HOST:PORT the inference service's, TOKEN an internal JWT; or the gateway's and an API key)
// Calls ServerLive, ServerMetadata, ModelReady, ModelMetadata, then ModelInfer twice on a [2,3] FP32 input "X"
// (typed fp32_contents, then raw_input_contents) and prints one JSON line of what it read; exits 1 on any error.
import { createRequire } from 'node:module';

const [modules, protoFile, address, token, model] = process.argv.slice(2);
const require = createRequire(modules.endsWith('/') ? modules : modules + '/');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(protoFile, { keepCase: true, longs: String, enums: String, defaults: true });
const { GRPCInferenceService } = grpc.loadPackageDefinition(definition).inference;
const client = new GRPCInferenceService(address, grpc.credentials.createInsecure());
const auth = new grpc.Metadata();
auth.set('authorization', 'Bearer ' + token);

const call = (method, request, metadata = new grpc.Metadata()) => new Promise((resolve, reject) =>
  client[method](request, metadata, { deadline: Date.now() + 20000 }, (err, response) =>
    err ? reject(new Error(`${method}: ${err.code} ${err.details}`)) : resolve(response)));

const floats = bytes => {
  const out = [];
  for (let i = 0; i < bytes.length; i += 4) out.push(bytes.readFloatLE(i));
  return out;
};

try {
  // with the credential too: behind the gateway every call needs one (the service answers these without)
  const live = await call('ServerLive', {}, auth);
  const server = await call('ServerMetadata', {}, auth);
  const ready = await call('ModelReady', { name: model }, auth);
  const meta = await call('ModelMetadata', { name: model }, auth);
  const x = [1, 0, 0, 1, 1, 1];
  const typed = await call('ModelInfer', {
    model_name: model, id: 'node-1',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 3], contents: { fp32_contents: x } }],
  }, auth);
  const raw = Buffer.alloc(4 * x.length);
  x.forEach((v, i) => raw.writeFloatLE(v, 4 * i));
  const rawCall = await call('ModelInfer', {
    model_name: model,
    inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 3] }],
    raw_input_contents: [raw],
  }, auth);
  let refused = '';
  try {
    await call('ModelInfer', { model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 3],
      contents: { fp32_contents: [1, 2] } }] }, auth);
  } catch (e) {
    refused = e.message;
  }
  console.log(JSON.stringify({
    live: live.live, server: server.name, ready: ready.ready,
    platform: meta.platform, inputs: meta.inputs.map(t => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
    typed: { id: typed.id, version: typed.model_version, outputs: typed.outputs.map(o => ({ name: o.name,
      datatype: o.datatype, shape: o.shape })), data: floats(typed.raw_output_contents[0]) },
    raw: floats(rawCall.raw_output_contents[0]),
    refused,
  }));
  client.close();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
