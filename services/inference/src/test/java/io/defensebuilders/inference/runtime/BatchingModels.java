package io.defensebuilders.inference.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.google.protobuf.CodedOutputStream;

/**
 * Two models the batching tests need and libs/testing's OnnxModels has not (written the same way, field by field in
 * onnx.proto's numbers): one that refuses some values, and one whose output's dynamic first dimension is not the
 * rows. They belong in OnnxModels once a second module wants them.
 */
final class BatchingModels {

    private static final int FLOAT = 1, INT64 = 7;

    private BatchingModels() {
    }

    /**
     * {@code Y = table[I]}: I is INT64 [N], Y FP32 [N]. ONNX Runtime refuses an index outside the table, so one bad
     * row fails the whole run it is in.
     */
    static byte[] lookup(float... table) {
        ByteBuffer raw = ByteBuffer.allocate(table.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : table) {
            raw.putFloat(f);
        }
        byte[] initializer = new Msg().i64(1, table.length).i64(2, FLOAT).str(8, "T").msg(9, raw.array()).bytes();
        byte[] graph = new Msg()
                .msg(1, new Msg().str(1, "T").str(1, "I").str(2, "Y").str(3, "gather").str(4, "Gather").bytes())
                .str(2, "lookup")
                .msg(5, initializer)
                .msg(11, value("I", INT64, "N"))
                .msg(12, value("Y", FLOAT, ""))
                .bytes();
        return model(graph);
    }

    /**
     * {@code Y = Reshape(X, [-1])}: X is FP32 [N, columns], Y FP32 [N·columns]. ONNX Runtime cannot tell Y's length
     * before a run, so it is a dynamic first dimension, but not the rows: a batch of it must not be cut by rows.
     */
    static byte[] flatten(int columns) {
        byte[] shape = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
        byte[] initializer = new Msg().i64(1, 1).i64(2, INT64).str(8, "S").msg(9, shape).bytes();
        byte[] graph = new Msg()
                .msg(1, new Msg().str(1, "X").str(1, "S").str(2, "Y").str(3, "flatten").str(4, "Reshape").bytes())
                .str(2, "flatten")
                .msg(5, initializer)
                .msg(11, value("X", FLOAT, "N", columns))
                .msg(12, value("Y", FLOAT, ""))
                .bytes();
        return model(graph);
    }

    private static byte[] model(byte[] graph) {
        return new Msg().i64(1, 8).str(2, "dbp-tests").msg(7, graph).msg(8, new Msg().str(1, "").i64(2, 13).bytes())
                .bytes();
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
