package io.defensebuilders.orbital.elements;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads OMM keywords as JSON: one object, or an array of objects, with the CCSDS keywords as member names (the form
 * CelesTrak's and space-track's GP queries answer with). Scalar members become keywords; nested values are ignored.
 * Errors name the object's array index and the keyword ({@code [3].ECCENTRICITY}).
 */
final class OmmJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private OmmJson() {
    }

    static List<OmmRecord> read(String text, ElementErrors errors) {
        List<OmmRecord> records = new ArrayList<>();
        try (JsonParser json = FACTORY.createParser(text)) {
            JsonToken first = json.nextToken();
            if (first == JsonToken.START_OBJECT) {
                records.add(object(json, 0, errors));
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
                    if (t != JsonToken.START_OBJECT) {
                        errors.add("[" + index + "]", "each element of the array must be an OMM object");
                        json.skipChildren();
                    } else {
                        records.add(object(json, index, errors));
                    }
                    index++;
                }
            } else {
                errors.add("body", "must be an OMM object or an array of them");
            }
            if (json.nextToken() != null) {
                errors.add("body", "has content after the JSON value");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            errors.add("line " + (at == null ? 1 : at.getLineNr()) + ": json",
                    "not valid JSON" + (at == null ? "" : " at column " + at.getColumnNr()));
        } catch (IOException e) {
            // the parser's own words name its classes and options; where it stopped is what helps
            errors.add("body", "cannot be read as JSON");
        }
        return records;
    }

    private static OmmRecord object(JsonParser json, int index, ElementErrors errors) throws IOException {
        String where = "[" + index + "]";
        OmmRecord record = new OmmRecord(where, true);
        for (JsonToken t = json.nextToken(); t == JsonToken.FIELD_NAME; t = json.nextToken()) {
            String keyword = json.currentName();
            JsonToken value = json.nextToken();
            if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                if (!record.put(keyword, json.getText(), where)) {
                    errors.add(where + "." + keyword, "appears twice in the object");
                }
            } else {
                json.skipChildren();
            }
        }
        return record;
    }
}
