package io.defensebuilders.models;

import java.nio.file.Files;
import java.nio.file.Path;

import io.defensebuilders.models.maneuver.ManeuverClassifier;
import io.defensebuilders.models.maneuver.ManeuverTraining;

/**
 * The build's training run (exec-maven-plugin, process-test-classes): trains every platform model and writes its
 * ONNX file under the class-path directory given, where the jar packs it and the tests read it.
 */
public final class Train {

    private Train() {
    }

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        long started = System.nanoTime();
        byte[] onnx = ManeuverTraining.onnx(ManeuverTraining.train()).toByteArray();
        Path file = classes.resolve(ManeuverClassifier.RESOURCE.substring(1));
        Files.createDirectories(file.getParent());
        Files.write(file, onnx);
        System.out.printf("[models] %s %s: %d bytes in %.1f s%n", ManeuverClassifier.NAME, ManeuverClassifier.VERSION,
                onnx.length, (System.nanoTime() - started) / 1e9);
    }
}
