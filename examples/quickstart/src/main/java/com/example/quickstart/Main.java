package com.example.quickstart;

import com.example.quickstart.models.SequentialMlp;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs the generated SequentialMlp (16 inputs -> Dense 32 relu -> Dropout -> Dense 16 tanh -> Dense 3 softmax) on the
 * four samples Keras was given when the model was saved, and prints its predictions beside Keras's.
 */
public final class Main {
    /** keras3 fixture sequential_mlp: reference.h5 input_0, shape [4, 16]. */
    private static final float[] INPUT = {
        0.27418688f, -0.4798164f, -0.22564505f, 0.50451136f, -0.36401615f, -0.64240205f, 0.55580163f, -0.033218887f,
        0.89191043f, -0.54708725f, 0.10393973f, 0.6331356f, -0.9349995f, -0.9880213f, 0.0871282f, 0.5903906f,
        -0.1294954f, 0.3643848f, 0.050948706f, 0.41400227f, 0.51280487f, -0.3320743f, 0.009910981f, 0.72313756f,
        -0.7579355f, 0.11503962f, -0.7734967f, 0.9646316f, -0.7875376f, 0.65756124f, -0.30244967f, 0.11604202f,
        0.1310739f, -0.6726277f, -0.760238f, -0.5084987f, -0.60227895f, 0.22431593f, -0.5669309f, -0.6137362f,
        0.47766468f, -0.58024865f, 0.20481658f, -0.11550994f, -0.81188077f, 0.79070187f, 0.6540267f, -0.17125084f,
        -0.8488785f, 0.13589354f, -0.70080936f, 0.59544903f, 0.30256274f, -0.94113016f, 0.65800864f, 0.34015462f,
        0.7853265f, -0.31533656f, 0.2761837f, -0.9412854f, -0.9880623f, -0.79140747f, 0.2803233f, 0.85922134f
    };

    /** The same fixture's output_0, shape [4, 3]: what Keras's model.predict returned. */
    private static final float[] KERAS = {
        0.3458017f, 0.30430478f, 0.3498935f, 0.2705732f, 0.2796789f, 0.44974792f,
        0.30603233f, 0.37332666f, 0.32064098f, 0.31216407f, 0.34915403f, 0.33868188f
    };

    private Main() {
    }

    public static void main(String[] args) {
        int batch = 4;
        int classes = SequentialMlp.OUTPUT_SHAPES[0][0];
        SequentialMlp session = new SequentialMlp();
        float[] predictions = session.infer(batch, INPUT)[0];

        System.out.println("input " + SequentialMlp.INPUT_NAMES[0] + " "
                + Arrays.toString(SequentialMlp.INPUT_SHAPES[0]) + " -> output " + SequentialMlp.OUTPUT_NAMES[0] + " "
                + Arrays.toString(SequentialMlp.OUTPUT_SHAPES[0]));
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            float[] p = Arrays.copyOfRange(predictions, b * classes, (b + 1) * classes);
            float[] k = Arrays.copyOfRange(KERAS, b * classes, (b + 1) * classes);
            System.out.printf(Locale.ROOT, "sample %d: predicted class %d, probabilities %s (Keras: %s)%n",
                    b, argmax(p), format(p), format(k));
            for (int i = 0; i < classes; i++) {
                worst = Math.max(worst, Math.abs(p[i] - k[i]));
            }
        }
        System.out.printf(Locale.ROOT, "largest difference from Keras: %.2e%n", worst);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String format(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.5f", v[i]));
        }
        return sb.append(']').toString();
    }
}
