package io.defensebuilders.orbital.elements;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads OMMs in the CCSDS NDM/XML schema: an {@code <omm>} document or an {@code <ndm>} holding several. Every leaf
 * element inside an {@code <omm>} becomes a keyword (namespaces ignored). DTDs and external entities are refused.
 */
final class OmmXml {

    private static final XMLInputFactory FACTORY = factory();

    private OmmXml() {
    }

    private record Open(String name, int line, String parameter, StringBuilder text, boolean[] hasChildren) {
    }

    static List<OmmRecord> read(String text, ElementErrors errors) {
        List<OmmRecord> records = new ArrayList<>();
        XMLStreamReader xml = null;
        try {
            xml = FACTORY.createXMLStreamReader(new StringReader(text));
            OmmRecord current = null;
            Deque<Open> open = new ArrayDeque<>();
            while (xml.hasNext()) {
                int event = xml.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String name = xml.getLocalName();
                        int line = xml.getLocation().getLineNumber();
                        if (!open.isEmpty()) {
                            open.peek().hasChildren()[0] = true;
                        }
                        if (name.equals("omm")) {
                            current = new OmmRecord("line " + line, false);
                            records.add(current);
                        }
                        open.push(new Open(name, line, xml.getAttributeValue(null, "parameter"), new StringBuilder(),
                                new boolean[1]));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!open.isEmpty()) {
                            open.peek().text().append(xml.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Open element = open.pop();
                        if (element.name().equals("omm")) {
                            current = null;
                        } else if (current != null && !element.hasChildren()[0] && !element.name().equals("COMMENT")) {
                            String keyword = element.name().equals("USER_DEFINED") && element.parameter() != null
                                    ? element.parameter()
                                    : element.name();
                            String where = "line " + element.line();
                            if (!current.put(keyword, element.text().toString(), where)) {
                                errors.add(where + ": " + keyword, "appears twice in the OMM that starts at "
                                        + current.where());
                            }
                        }
                    }
                    default -> {
                        // comments, processing instructions, whitespace
                    }
                }
            }
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNumber();
            errors.add("line " + line + ": xml", "not well-formed XML, or uses a DTD: " + firstLine(e.getMessage()));
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing was opened that needs closing
                }
            }
        }
        if (records.isEmpty() && errors.isEmpty()) {
            errors.add("line 1: omm", "the document holds no <omm> element");
        }
        return records;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        // the StAX message starts with "ParseError at [row,col]:[..]\nMessage: ..."
        int at = message.indexOf("Message: ");
        return (at >= 0 ? message.substring(at + 9) : message).lines().findFirst().orElse("");
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
