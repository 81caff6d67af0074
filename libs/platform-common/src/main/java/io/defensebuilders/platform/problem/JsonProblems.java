package io.defensebuilders.platform.problem;

import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.defensebuilders.platform.web.StrictJson;

/**
 * A JSON body Jackson could not read, said in the API's own words: which field (as a JSON path) and what it must be,
 * never a Java type, a Jackson feature or the parser's message. The field is the path clients already see in
 * validation problems ({@code items[2].name}); {@code body} names the body as a whole.
 */
public final class JsonProblems {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);

    private JsonProblems() {
    }

    /** The 400 problem for {@code e}. */
    public static ProblemException of(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !(e instanceof MismatchedInputException)
                && !(e instanceof ValueInstantiationException) && m.getCause() instanceof JsonProcessingException inner) {
            // a parse error inside a map or a list, wrapped on its way out; the parser still knows where it was
            return of(inner);
        }
        if (e instanceof StrictJson.Refused refused) {
            return ProblemException.invalid(field(path(refused) + refused.innerPath()), refused.reason());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return ProblemException.invalid(field(path(u)), "is not a field of this request");
        }
        if (e instanceof InvalidNullException n) {
            return ProblemException.invalid(field(path(n)), "must not be null");
        }
        if (e instanceof ValueInstantiationException v) {
            if (v.getCause() instanceof ProblemException problem) {
                return problem;
            }
            return ProblemException.invalid(field(path(v)), "is invalid");
        }
        if (e instanceof MismatchedInputException m) {
            String path = path(m);
            if (m.getOriginalMessage() != null && m.getOriginalMessage().startsWith("Trailing token")) {
                return ProblemException.badRequest("the request body is not valid JSON: more follows the value"
                        + at(m.getLocation()));
            }
            String expected = expected(m.getTargetType());
            if (path.isEmpty()) {
                return m.getMessage() != null && m.getMessage().startsWith("No content to map")
                        ? ProblemException.badRequest("the request body is empty; " + expected + " is required")
                        : ProblemException.invalid("body", "must be " + expected);
            }
            return ProblemException.invalid(path, "must be " + expected);
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof ProblemException problem) {
            return problem;
        }
        if (e instanceof StreamConstraintsException limit) {
            return ProblemException.badRequest(limitBroken(limit.getOriginalMessage()));
        }
        if (e instanceof InputCoercionException c) {
            return ProblemException.invalid(field(parserPath(c)), "is out of range for this field");
        }
        if (e instanceof JsonParseException parse) {
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(parse.getOriginalMessage()));
            if (duplicate.find()) {
                String parent = parserPath(parse);
                String name = duplicate.group(1);
                return ProblemException.invalid(parent.isEmpty() ? name : parent + "." + name, "is given more than once");
            }
            String message = String.valueOf(parse.getOriginalMessage());
            if (message.contains("UTF-8") || message.contains("UTF8")) {
                return ProblemException.badRequest("the request body is not valid UTF-8" + at(parse.getLocation()));
            }
        }
        return ProblemException.badRequest("the request body is not valid JSON" + at(e.getLocation()));
    }

    /** {@code path} or, when empty, {@code body}. */
    private static String field(String path) {
        return path.isEmpty() ? "body" : path;
    }

    /** The JSON path of a mapping error: {@code a.b[2].c}. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** Where the parser was when it failed, as a JSON path: the enclosing object or array and the current member. */
    private static String parserPath(StreamReadException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext ctx = parser.getParsingContext(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inArray()) {
                parts.addFirst("[" + Math.max(0, ctx.getCurrentIndex()) + "]");
            } else if (ctx.getCurrentName() != null
                    && !(e instanceof JsonParseException && ctx == parser.getParsingContext())) {
                parts.addFirst("." + ctx.getCurrentName());
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String limitBroken(String message) {
        String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "the request body is nested too deeply";
        }
        if (m.contains("number")) {
            return "a number in the request body has too many digits";
        }
        if (m.contains("string") || m.contains("name")) {
            return "a string in the request body is too long";
        }
        return "the request body exceeds a size limit";
    }

    /** What a value of {@code type} looks like in JSON, for a client. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == java.math.BigInteger.class) {
            return "an integer within range";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return "one of " + String.join(", ", names);
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time such as 2026-01-01T00:00:00Z";
        }
        if (java.time.Duration.class == type || java.time.Period.class == type) {
            return "an ISO-8601 duration such as PT1H";
        }
        if (java.util.UUID.class == type) {
            return "a UUID";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another type";
    }
}
