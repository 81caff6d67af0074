package io.defensebuilders.billing.api;

import java.math.BigDecimal;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Every decimal of the billing API (prices, amounts, totals, quantities) is written as a JSON string of its exact
 * decimal value ({@code "99.00"}, {@code "0.0005"}), never as a JSON number a JavaScript or Python client would read as
 * a binary float; the OpenAPI document says so ({@code mp.openapi.schema.java.math.BigDecimal}). Requests may send
 * either form: both are read exactly.
 */
@Singleton
public class ExactDecimals implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        // "100", not "1E+2"
        mapper.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
