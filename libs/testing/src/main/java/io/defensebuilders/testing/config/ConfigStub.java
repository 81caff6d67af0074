package io.defensebuilders.testing.config;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A service's {@code @ConfigMapping} interface answered from a map, for unit tests of classes that take their
 * configuration in the constructor (no Quarkus started). A method the map does not name throws, so a test never
 * runs on a value it did not choose.
 */
public final class ConfigStub {

    private ConfigStub() {
    }

    /** An instance of {@code type} whose methods answer {@code values} by method name. */
    @SuppressWarnings("unchecked")
    public static <T> T of(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> proxy == args[0];
                };
            }
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
                        + " is not set in this test");
            }
            return values.get(method.getName());
        });
    }
}
