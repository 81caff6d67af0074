package io.defensebuilders.platform.web;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The one JSON reading policy of the fleet, applied to the ObjectMapper every service's REST layer uses. A request
 * body means exactly what it says or is refused with a 400 naming the field:
 * <ul>
 * <li>a key given twice is refused (not "the last one wins");</li>
 * <li>no scalar coercion: {@code 123} is not the string "123", {@code "123"} is not a number (but a decimal may be
 * written as a string, its exact form), {@code 1.5} is not an integer, {@code 1} is not {@code true}, a number is not a
 * date; {@code null} is not 0 or false (an absent field
 * still is), and not an element of a list;</li>
 * <li>text holds no NUL character and no unpaired surrogate ({@link TextRules}), in values and in keys;</li>
 * <li>numbers are finite: {@code 1e999} is not Infinity, decimals have an exponent within ±{@value #MAX_EXPONENT};</li>
 * <li>dates and times lie in the years 0001-9999, which every store and client of the platform can hold.</li>
 * </ul>
 * Jackson's own limits (nesting depth, number and string length) stay at their defaults. The last customizer to run,
 * so that its deserializers wrap whatever the other modules (java.time) registered.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Largest decimal exponent accepted in a JSON number read as a {@link BigDecimal}. */
    public static final int MAX_EXPONENT = 1000;

    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** Applies the policy to {@code mapper} (for mappers made outside CDI, such as in tests); returns it. */
    @SuppressWarnings("deprecation") // MapperFeature on a built mapper: the only way a customizer can set it
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // a null element of a list is refused; a null map value may mean something (billing's "unlimited")
        for (Class<?> collection : List.of(List.class, Set.class, SortedSet.class, Collection.class, String[].class)) {
            mapper.configOverride(collection).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        }
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean, LogicalType.Enum, LogicalType.DateTime)) {
            var coercion = mapper.coercionConfigFor(type);
            for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString)) {
                if (!accepts(type, shape)) {
                    coercion.setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
        // a decimal written as a string is a decimal: the exact form for money and quantities that a JavaScript
        // client would otherwise read as a binary float
        mapper.coercionConfigFor(BigDecimal.class).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        SimpleModule module = new SimpleModule("dbp-strict-json");
        module.setDeserializerModifier(new Checks());
        module.addKeyDeserializer(String.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
                String problem = TextRules.problem(key);
                if (problem != null) {
                    throw Refused.of(ctxt.getParser(), "key " + problem, "");
                }
                return key;
            }
        });
        for (Class<? extends JsonNode> tree : List.of(JsonNode.class, ObjectNode.class, ArrayNode.class)) {
            addTree(module, tree);
        }
        mapper.registerModule(module);
        return mapper;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" }) // the tree deserializers are typed Object by Jackson
    private static void addTree(SimpleModule module, Class<? extends JsonNode> type) {
        module.addDeserializer((Class) type, (JsonDeserializer) new CheckedTree(JsonNodeDeserializer.getDeserializer(type)));
    }

    /** The shape a type may be written in: its own, and a string for dates (ISO-8601) and enums (names). */
    private static boolean accepts(LogicalType type, CoercionInputShape shape) {
        return switch (type) {
            case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
            case Integer -> shape == CoercionInputShape.Integer;
            case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
            case Boolean -> shape == CoercionInputShape.Boolean;
            case Enum, DateTime -> shape == CoercionInputShape.String;
            default -> true;
        };
    }

    /**
     * A value the policy refuses: a Jackson input error, so the REST layer answers 400 and names the field
     * ({@code reason} is meant for the client and never echoes the value). {@code innerPath} locates it inside a
     * tree or an untyped value read as a whole.
     */
    public static final class Refused extends InvalidFormatException {

        private final String reason;
        private final String innerPath;

        private Refused(JsonParser parser, String reason, String innerPath) {
            super(parser, reason, null, Object.class);
            this.reason = reason;
            this.innerPath = innerPath;
        }

        static Refused of(JsonParser parser, String reason, String innerPath) {
            return new Refused(parser, reason, innerPath);
        }

        public String reason() {
            return reason;
        }

        public String innerPath() {
            return innerPath;
        }
    }

    /** Wraps the deserializers of text, floating-point numbers, decimals, dates and untyped values with the checks. */
    private static final class Checks extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            if (type.isPrimitive() || type == String.class || type == Double.class || type == double.class
                    || type == Float.class
                    || type == float.class || type == BigDecimal.class || type == Object.class || type == Instant.class
                    || type == OffsetDateTime.class || type == ZonedDateTime.class || type == LocalDate.class
                    || type == LocalDateTime.class) {
                return new Checked(deserializer);
            }
            return deserializer;
        }
    }

    /**
     * A deserializer whose every result is checked by {@link #check}, and which refuses an explicit {@code null} for a
     * primitive while an absent one keeps its default; everything else is the wrapped one's.
     */
    private static final class Checked extends DelegatingDeserializer {

        Checked(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Checked(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != null && p.currentToken().isNumeric()
                    && java.time.temporal.Temporal.class.isAssignableFrom(handledType())) {
                // Jackson would read a number as seconds or days since 1970; the API speaks ISO-8601 only
                throw Refused.of(p, "must be an ISO-8601 date-time such as 2026-01-01T00:00:00Z", "");
            }
            Object value = super.deserialize(p, ctxt);
            Finding finding = check(value, "");
            if (finding != null) {
                throw Refused.of(p, finding.reason(), finding.path());
            }
            return value;
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            if (handledType().isPrimitive()) {
                throw InvalidNullException.from(ctxt, null, ctxt.constructType(handledType()));
            }
            return super.getNullValue(ctxt);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) throws JsonMappingException {
            return super.getNullValue(ctxt);
        }
    }

    /** A JSON tree, checked as a whole once read. */
    private static final class CheckedTree extends DelegatingDeserializer {

        CheckedTree(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new CheckedTree(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object value = super.deserialize(p, ctxt);
            Finding finding = value instanceof JsonNode node ? checkTree(node, "") : null;
            if (finding != null) {
                throw Refused.of(p, finding.reason(), finding.path());
            }
            return value;
        }
    }

    /** Where, inside a value read as a whole, the policy is broken, and how. */
    record Finding(String path, String reason) {
    }

    /** Why a value read from JSON cannot be accepted, or null. Walks the maps and lists an untyped value is read as. */
    static Finding check(Object value, String path) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            String problem = TextRules.problem(s);
            return problem == null ? null : new Finding(path, problem);
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return new Finding(path, "must be a finite number (at most about 1.8e308 in magnitude)");
        }
        if (value instanceof BigDecimal b && Math.abs((long) b.precision() - b.scale() - 1) > MAX_EXPONENT) {
            return new Finding(path, "must be a number with a decimal exponent within ±" + MAX_EXPONENT);
        }
        Instant instant = switch (value) {
            case Instant i -> i;
            case OffsetDateTime t -> t.toInstant();
            case ZonedDateTime t -> t.toInstant();
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            default -> null;
        };
        if (instant != null) {
            return instant.isBefore(Params.EARLIEST) || !instant.isBefore(Params.END)
                    ? new Finding(path, "must be a date or date-time in the years 0001-9999")
                    : null;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String problem = TextRules.problem(key);
                Finding finding = problem != null ? new Finding(path, "key " + problem) : check(e.getValue(), path + "." + key);
                if (finding != null) {
                    return finding;
                }
            }
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Finding finding = check(list.get(i), path + "[" + i + "]");
                if (finding != null) {
                    return finding;
                }
            }
        }
        return null;
    }

    private static Finding checkTree(JsonNode node, String path) {
        if (node.getNodeType() == JsonNodeType.STRING) {
            return check(node.textValue(), path);
        }
        if (node.isFloatingPointNumber()) {
            return node.isBigDecimal() ? check(node.decimalValue(), path) : check(node.doubleValue(), path);
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String problem = TextRules.problem(e.getKey());
                Finding finding = problem != null ? new Finding(path, "key " + problem)
                        : checkTree(e.getValue(), path + "." + e.getKey());
                if (finding != null) {
                    return finding;
                }
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Finding finding = checkTree(node.get(i), path + "[" + i + "]");
                if (finding != null) {
                    return finding;
                }
            }
        }
        return null;
    }
}
