package io.defensebuilders.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The offline validator finds what kubectl would refuse: a misspelt field at any depth, a kind nobody serves. */
class TypedObjectsTest {

    @Test
    void aMisspeltFieldAnywhereIsFound() {
        var deployment = Chart.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x:1
                          readinessProbe: {httpGet: {path: /q/health/ready, prot: 9000}}
                """).get(0);
        List<String> problems = TypedObjects.problems(deployment);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("[replica]") || problems.get(1).contains("[replica]"), problems.toString());
        assertTrue(problems.toString().contains("[prot]"), problems.toString());
    }

    @Test
    void anUnknownKindIsFound() {
        var object = Chart.documents("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """).get(0);
        assertEquals(1, TypedObjects.problems(object).size());
    }

    @Test
    void aCorrectObjectHasNoProblem() {
        var service = Chart.documents("""
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec: {selector: {a: b}, ports: [{name: http, port: 8080, targetPort: http}]}
                """).get(0);
        assertEquals(List.of(), TypedObjects.problems(service));
    }
}
