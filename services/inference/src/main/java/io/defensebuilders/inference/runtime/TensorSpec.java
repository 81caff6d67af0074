package io.defensebuilders.inference.runtime;

import java.util.List;

/**
 * A tensor a model takes or gives, as the model itself declares it: its name, datatype and shape, where -1 is a
 * dimension the caller chooses (a dynamic batch, a sequence length).
 */
public record TensorSpec(String name, Datatype datatype, List<Long> shape) {

    public TensorSpec {
        shape = List.copyOf(shape);
    }

    /** Whether a tensor of {@code actual} shape fits this one: same rank, every fixed dimension equal. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.size()) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            long wanted = shape.get(i);
            if (actual[i] < 0 || (wanted >= 0 && wanted != actual[i])) {
                return false;
            }
        }
        return true;
    }
}
