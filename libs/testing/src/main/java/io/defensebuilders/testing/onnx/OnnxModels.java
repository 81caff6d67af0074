package io.defensebuilders.testing.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.google.protobuf.CodedOutputStream;

/**
 * ONNX models written by the tests and benchmarks themselves, in the ONNX protobuf format (onnx.proto's field numbers): no
 * model
 * file is checked in or downloaded, and ONNX Runtime is the judge of whether they are valid.
 */
public final class OnnxModels {

    /** ONNX TensorProto.DataType numbers. */
    public static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8, BOOL = 9,
            FLOAT16 = 10, DOUBLE = 11;

    private OnnxModels() {
    }

    /**
     * {@code Y = X · W + B}: X is FP32 [N, rows of W] with a dynamic batch N, Y is FP32 [N, columns of W].
     */
    public static byte[] linear(float[][] w, float[] b) {
        int in = w.length, out = w[0].length;
        float[] flat = new float[in * out];
        for (int i = 0; i < in; i++) {
            System.arraycopy(w[i], 0, flat, i * out, out);
        }
        byte[] graph = new Msg()
                .msg(1, node("MatMul", new String[] { "X", "W" }, "XW"))
                .msg(1, node("Add", new String[] { "XW", "B" }, "Y"))
                .str(2, "linear")
                .msg(5, floats("W", flat, in, out))
                .msg(5, floats("B", b, out))
                .msg(11, value("X", FLOAT, "N", in))
                .msg(12, value("Y", FLOAT, "N", out))
                .bytes();
        return model(graph);
    }

    /** {@code Y = Identity(X)} for a 1-D tensor of {@code elemType} with a dynamic length N. */
    public static byte[] identity(int elemType) {
        byte[] graph = new Msg()
                .msg(1, node("Identity", new String[] { "X" }, "Y"))
                .str(2, "identity")
                .msg(11, value("X", elemType, "N"))
                .msg(12, value("Y", elemType, "N"))
                .bytes();
        return model(graph);
    }

    /**
     * {@code Y = table[I]}: I is INT64 [N], Y FP32 [N]. ONNX Runtime refuses an index outside the table, so one bad
     * row fails the whole run it is in (the batching tests).
     */
    public static byte[] lookup(float... table) {
        ByteBuffer raw = ByteBuffer.allocate(table.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : table) {
            raw.putFloat(f);
        }
        byte[] graph = new Msg()
                .msg(1, node("Gather", new String[] { "T", "I" }, "Y"))
                .str(2, "lookup")
                .msg(5, raw("T", FLOAT, raw.array(), table.length))
                .msg(11, value("I", INT64, "N"))
                .msg(12, value("Y", FLOAT, ""))
                .bytes();
        return model(graph);
    }

    /**
     * {@code Y = Reshape(X, [-1])}: X is FP32 [N, columns], Y FP32 [N·columns]. ONNX Runtime cannot tell Y's length
     * before a run, so it is a dynamic first dimension, but not the rows (the batching tests: not cut by rows).
     */
    public static byte[] flatten(int columns) {
        byte[] shape = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
        byte[] graph = new Msg()
                .msg(1, node("Reshape", new String[] { "X", "S" }, "Y"))
                .str(2, "flatten")
                .msg(5, raw("S", INT64, shape, 1))
                .msg(11, value("X", FLOAT, "N", columns))
                .msg(12, value("Y", FLOAT, ""))
                .bytes();
        return model(graph);
    }

    private static byte[] model(byte[] graph) {
        return new Msg().i64(1, 8).str(2, "dbp-tests").msg(7, graph).msg(8, new Msg().str(1, "").i64(2, 13).bytes())
                .bytes();
    }

    private static byte[] node(String op, String[] inputs, String output) {
        Msg n = new Msg();
        for (String i : inputs) {
            n.str(1, i);
        }
        return n.str(2, output).str(3, op + "-" + output).str(4, op).bytes();
    }

    /** A tensor value's name and type; a dimension is a name (dynamic), "" (dynamic, unnamed) or a number. */
    private static byte[] value(String name, int elemType, Object... dims) {
        Msg shape = new Msg();
        for (Object d : dims) {
            Msg dim = new Msg();
            if (d instanceof String p && !p.isEmpty()) {
                dim.str(2, p);
            } else if (d instanceof Number n) {
                dim.i64(1, n.longValue());
            }
            shape.msg(1, dim.bytes());
        }
        byte[] tensor = new Msg().i64(1, elemType).msg(2, shape.bytes()).bytes();
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensor).bytes()).bytes();
    }

    /** An initializer of {@code elemType} from its little-endian bytes (TensorProto.raw_data). */
    private static byte[] raw(String name, int elemType, byte[] data, long... dims) {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        return t.i64(2, elemType).str(8, name).msg(9, data).bytes();
    }

    private static byte[] floats(String name, float[] data, long... dims) {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        t.i64(2, FLOAT);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(packed);
        try {
            for (float f : data) {
                out.writeFloatNoTag(f);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t.msg(4, packed.toByteArray()).str(8, name).bytes();
    }

    /** A protobuf message written field by field. */
    private static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg str(int field, String value) {
            try {
                out.writeString(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg i64(int field, long value) {
            try {
                out.writeInt64(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg msg(int field, byte[] message) {
            try {
                out.writeByteArray(field, message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] bytes() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}
