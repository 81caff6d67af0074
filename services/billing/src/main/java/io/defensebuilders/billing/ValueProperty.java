package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

import io.defensebuilders.contracts.events.UsageV1;

/**
 * Where a meter reads its value in a {@code usage.v1} event: {@code quantity}, {@code subject} (UNIQUE_COUNT only)
 * or {@code attributes.<key>}. Attributes are strings on the wire; numeric meters parse them as decimals.
 */
public sealed interface ValueProperty {

    String QUANTITY = "quantity";
    String SUBJECT = "subject";
    String ATTRIBUTE_PREFIX = "attributes.";
    /** Attribute keys a meter may read or group by. */
    Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    /** The value as text, or null when the event has none. */
    String text(UsageV1 usage);

    /** The property as written in a meter definition. */
    String name();

    record Quantity() implements ValueProperty {
        @Override
        public String text(UsageV1 usage) {
            return usage.quantity().stripTrailingZeros().toPlainString();
        }

        @Override
        public String name() {
            return QUANTITY;
        }
    }

    record Subject() implements ValueProperty {
        @Override
        public String text(UsageV1 usage) {
            return usage.subject();
        }

        @Override
        public String name() {
            return SUBJECT;
        }
    }

    record Attribute(String key) implements ValueProperty {
        @Override
        public String text(UsageV1 usage) {
            return usage.attributes().get(key);
        }

        @Override
        public String name() {
            return ATTRIBUTE_PREFIX + key;
        }
    }

    /** The decimal value, or null when the event has none; {@link NumberFormatException} when it is not a number. */
    default BigDecimal decimal(UsageV1 usage) {
        if (this instanceof Quantity) {
            return usage.quantity();
        }
        String text = text(usage);
        return text == null ? null : new BigDecimal(text.strip());
    }

    /** Parses a meter definition's property; empty when it names nothing a meter can read. */
    static Optional<ValueProperty> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.equals(QUANTITY)) {
            return Optional.of(new Quantity());
        }
        if (name.equals(SUBJECT)) {
            return Optional.of(new Subject());
        }
        if (name.startsWith(ATTRIBUTE_PREFIX) && ATTRIBUTE_KEY.matcher(name.substring(ATTRIBUTE_PREFIX.length())).matches()) {
            return Optional.of(new Attribute(name.substring(ATTRIBUTE_PREFIX.length())));
        }
        return Optional.empty();
    }
}
