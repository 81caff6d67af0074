package io.defensebuilders.inference.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.defensebuilders.platform.problem.ProblemException;

/**
 * Tensors between the Open Inference Protocol's JSON and ONNX Runtime: {@code data} flat or nested in row-major order
 * in, flat row-major out. Every mismatch with what the model declares is a 400 that names the tensor.
 */
public final class Tensors {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Tensors() {
    }

    /** A tensor's elements as a caller sent them. */
    public sealed interface Data permits Json, Raw {
    }

    /** JSON {@code data}: flat or nested, row-major (REST). */
    public record Json(JsonNode data) implements Data {
    }

    /**
     * The protocol's raw layout (gRPC {@code raw_input_contents}): flat, row-major, little-endian, no padding; BYTES
     * elements each a 4-byte little-endian length and then their bytes.
     */
    public record Raw(ByteBuffer bytes) implements Data {
    }

    /** An input tensor of the request, checked against the model's declaration of it. */
    public static OnnxTensor input(OrtEnvironment env, TensorSpec spec, Datatype datatype, long[] shape, Data data)
            throws OrtException {
        String name = spec.name();
        if (datatype != spec.datatype()) {
            throw ProblemException.badRequest("input '" + name + "' is " + datatype + "; the model takes "
                    + spec.datatype());
        }
        if (!spec.accepts(shape)) {
            throw ProblemException.badRequest("input '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + "; the model takes " + spec.shape() + " (-1: any size)");
        }
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (data instanceof Raw raw) {
            return fromRaw(env, name, datatype, shape, count, raw.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN));
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(((Json) data).data(), values, name);
        if (values.size() != count) {
            throw ProblemException.badRequest("input '" + name + "' has " + values.size() + " elements; its shape "
                    + java.util.Arrays.toString(shape) + " holds " + count);
        }
        int n = values.size();
        switch (datatype) {
            case FP32 -> {
                FloatBuffer b = FloatBuffer.allocate(n);
                for (JsonNode v : values) {
                    b.put((float) number(v, name));
                }
                return OnnxTensor.createTensor(env, b.flip(), shape);
            }
            case FP64 -> {
                DoubleBuffer b = DoubleBuffer.allocate(n);
                for (JsonNode v : values) {
                    b.put(number(v, name));
                }
                return OnnxTensor.createTensor(env, b.flip(), shape);
            }
            case FP16 -> {
                ShortBuffer b = ShortBuffer.allocate(n);
                for (JsonNode v : values) {
                    b.put(Float.floatToFloat16((float) number(v, name)));
                }
                return OnnxTensor.createTensor(env, b.flip(), shape, OnnxJavaType.FLOAT16);
            }
            case INT64 -> {
                LongBuffer b = LongBuffer.allocate(n);
                for (JsonNode v : values) {
                    b.put(integer(v, name, Long.MIN_VALUE, Long.MAX_VALUE));
                }
                return OnnxTensor.createTensor(env, b.flip(), shape);
            }
            case INT32 -> {
                IntBuffer b = IntBuffer.allocate(n);
                for (JsonNode v : values) {
                    b.put((int) integer(v, name, Integer.MIN_VALUE, Integer.MAX_VALUE));
                }
                return OnnxTensor.createTensor(env, b.flip(), shape);
            }
            case INT16 -> {
                ShortBuffer b = ShortBuffer.allocate(n);
                for (JsonNode v : values) {
                    b.put((short) integer(v, name, Short.MIN_VALUE, Short.MAX_VALUE));
                }
                return OnnxTensor.createTensor(env, b.flip(), shape);
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer b = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                for (JsonNode v : values) {
                    b.put(switch (datatype) {
                        case INT8 -> (byte) integer(v, name, Byte.MIN_VALUE, Byte.MAX_VALUE);
                        case UINT8 -> (byte) integer(v, name, 0, 255);
                        default -> bool(v, name) ? (byte) 1 : (byte) 0;
                    });
                }
                OnnxJavaType type = switch (datatype) {
                    case INT8 -> OnnxJavaType.INT8;
                    case UINT8 -> OnnxJavaType.UINT8;
                    default -> OnnxJavaType.BOOL;
                };
                return OnnxTensor.createTensor(env, b.flip(), shape, type);
            }
            case BYTES -> {
                String[] strings = new String[n];
                for (int i = 0; i < n; i++) {
                    JsonNode v = values.get(i);
                    if (!v.isTextual()) {
                        throw ProblemException.badRequest("input '" + name + "' is BYTES: its elements are strings");
                    }
                    strings[i] = v.textValue();
                }
                return OnnxTensor.createTensor(env, strings, shape);
            }
            default -> throw ProblemException.badRequest("input '" + name + "' is " + datatype
                    + ", which ONNX Runtime's Java API cannot take");
        }
    }

    /** An output tensor as the protocol's flat row-major {@code data}. */
    public static ArrayNode data(OnnxTensor tensor, Datatype datatype) throws OrtException {
        ArrayNode out = JSON.arrayNode();
        switch (datatype) {
            case FP32 -> {
                FloatBuffer b = tensor.getFloatBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get());
                }
            }
            case FP64 -> {
                DoubleBuffer b = tensor.getDoubleBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get());
                }
            }
            case FP16 -> {
                ShortBuffer b = tensor.getShortBuffer();
                while (b.hasRemaining()) {
                    out.add(Float.float16ToFloat(b.get()));
                }
            }
            case INT64 -> {
                LongBuffer b = tensor.getLongBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get());
                }
            }
            case INT32 -> {
                IntBuffer b = tensor.getIntBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get());
                }
            }
            case INT16 -> {
                ShortBuffer b = tensor.getShortBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get());
                }
            }
            case INT8 -> {
                ByteBuffer b = tensor.getByteBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get());
                }
            }
            case UINT8 -> {
                ByteBuffer b = tensor.getByteBuffer();
                while (b.hasRemaining()) {
                    out.add(Byte.toUnsignedInt(b.get()));
                }
            }
            case BOOL -> {
                ByteBuffer b = tensor.getByteBuffer();
                while (b.hasRemaining()) {
                    out.add(b.get() != 0);
                }
            }
            case BYTES -> {
                List<String> strings = new ArrayList<>();
                flattenStrings(tensor.getValue(), strings);
                strings.forEach(out::add);
            }
            default -> throw new IllegalStateException("the model answered " + datatype
                    + ", which ONNX Runtime's Java API cannot read");
        }
        return out;
    }

    private static OnnxTensor fromRaw(OrtEnvironment env, String name, Datatype datatype, long[] shape, long count,
            ByteBuffer b) throws OrtException {
        if (datatype == Datatype.BYTES) {
            String[] strings = new String[Math.toIntExact(count)];
            for (int i = 0; i < strings.length; i++) {
                if (b.remaining() < 4) {
                    throw rawSize(name, "ends before its element " + i);
                }
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    throw rawSize(name, "has an element " + i + " of " + Integer.toUnsignedString(length)
                            + " bytes where " + b.remaining() + " are left");
                }
                byte[] bytes = new byte[length];
                b.get(bytes);
                strings[i] = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
            if (b.hasRemaining()) {
                throw rawSize(name, "has " + b.remaining() + " bytes after its " + count + " elements");
            }
            return OnnxTensor.createTensor(env, strings, shape);
        }
        int size = switch (datatype) {
            case BOOL, UINT8, INT8 -> 1;
            case INT16, FP16 -> 2;
            case INT32, FP32 -> 4;
            case INT64, FP64 -> 8;
            default -> throw ProblemException.badRequest("input '" + name + "' is " + datatype
                    + ", which ONNX Runtime's Java API cannot take");
        };
        if (b.remaining() != count * size) {
            throw rawSize(name, "holds " + b.remaining() + " bytes; " + count + " " + datatype + " elements are "
                    + count * size);
        }
        return switch (datatype) {
            case FP32 -> OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
            case FP64 -> OnnxTensor.createTensor(env, b.asDoubleBuffer(), shape);
            case INT64 -> OnnxTensor.createTensor(env, b.asLongBuffer(), shape);
            case INT32 -> OnnxTensor.createTensor(env, b.asIntBuffer(), shape);
            case INT16 -> OnnxTensor.createTensor(env, b.asShortBuffer(), shape);
            case FP16 -> OnnxTensor.createTensor(env, b.asShortBuffer(), shape, OnnxJavaType.FLOAT16);
            default -> {
                ByteBuffer direct = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.nativeOrder()).put(b).flip();
                yield OnnxTensor.createTensor(env, direct, shape, switch (datatype) {
                    case INT8 -> OnnxJavaType.INT8;
                    case UINT8 -> OnnxJavaType.UINT8;
                    default -> OnnxJavaType.BOOL;
                });
            }
        };
    }

    private static ProblemException rawSize(String name, String what) {
        return ProblemException.badRequest("the raw contents of input '" + name + "' " + what);
    }

    /** An output tensor in the protocol's raw layout (gRPC {@code raw_output_contents}). */
    public static byte[] raw(OnnxTensor tensor, Datatype datatype) throws OrtException {
        if (datatype == Datatype.BYTES) {
            List<String> strings = new ArrayList<>();
            flattenStrings(tensor.getValue(), strings);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (String string : strings) {
                byte[] bytes = string.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeBytes(length.clear().putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }
        return switch (datatype) {
            case FP32 -> {
                FloatBuffer d = tensor.getFloatBuffer();
                ByteBuffer out = le(d.remaining() * 4);
                out.asFloatBuffer().put(d);
                yield out.array();
            }
            case FP64 -> {
                DoubleBuffer d = tensor.getDoubleBuffer();
                ByteBuffer out = le(d.remaining() * 8);
                out.asDoubleBuffer().put(d);
                yield out.array();
            }
            case INT64 -> {
                LongBuffer d = tensor.getLongBuffer();
                ByteBuffer out = le(d.remaining() * 8);
                out.asLongBuffer().put(d);
                yield out.array();
            }
            case INT32 -> {
                IntBuffer d = tensor.getIntBuffer();
                ByteBuffer out = le(d.remaining() * 4);
                out.asIntBuffer().put(d);
                yield out.array();
            }
            case INT16, FP16 -> {
                ShortBuffer d = tensor.getShortBuffer();
                ByteBuffer out = le(d.remaining() * 2);
                out.asShortBuffer().put(d);
                yield out.array();
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer d = tensor.getByteBuffer();
                byte[] out = new byte[d.remaining()];
                d.get(out);
                yield out;
            }
            default -> throw new IllegalStateException("the model answered " + datatype
                    + ", which ONNX Runtime's Java API cannot read");
        };
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The datatype of a tensor the model answered. */
    public static Datatype datatype(OnnxTensor tensor) {
        TensorInfo info = tensor.getInfo();
        return Datatype.of(info.onnxType).orElseThrow(
                () -> new IllegalStateException("the model answered a tensor of " + info.onnxType));
    }

    private static void flatten(JsonNode node, List<JsonNode> into, String name) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw ProblemException.badRequest("input '" + name + "' has no data");
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                flatten(child, into, name);
            }
        } else {
            into.add(node);
        }
    }

    private static void flattenStrings(Object value, List<String> into) {
        if (value instanceof Object[] array) {
            for (Object o : array) {
                flattenStrings(o, into);
            }
        } else {
            into.add(String.valueOf(value));
        }
    }

    private static double number(JsonNode v, String name) {
        if (!v.isNumber()) {
            throw ProblemException.badRequest("input '" + name + "' holds " + describe(v) + " where a number belongs");
        }
        return v.doubleValue();
    }

    private static long integer(JsonNode v, String name, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ProblemException.badRequest("input '" + name + "' holds " + describe(v)
                    + " where an integer from " + min + " to " + max + " belongs");
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode v, String name) {
        if (!v.isBoolean()) {
            throw ProblemException.badRequest("input '" + name + "' is BOOL: its elements are true or false, not "
                    + describe(v));
        }
        return v.booleanValue();
    }

    private static String describe(JsonNode v) {
        String text = v.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
