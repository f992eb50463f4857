package io.sofie.keras.layers;

import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Resize;
import java.util.Map;
import java.util.Set;

/**
 * UpSampling1D (Keras 1: {@code length}), UpSampling2D (nearest or bilinear) and UpSampling3D: a Resize by whole
 * factors.
 *
 * <p>Bilinear sampling differs between producers: Keras 3 and tf.keras resize with half-pixel centres, while the
 * multi-backend Keras 2.2 TensorFlow backend called TensorFlow 1's {@code tf.image.resize_bilinear}, whose source
 * coordinate is {@code o * in / out}. Theano's and CNTK's bilinear upsampling is not reproduced.
 */
public final class UpSamplingLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of("UpSampling1D", 1, "UpSampling2D", 2,
            "UpSampling3D", 3);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        SpatialParams.spatialInput(ctx, rank);
        Layout layout = rank == 1 ? Layout.CHANNELS_LAST : SpatialParams.layout(ctx);
        int[] size = SpatialParams.tuple(ctx, rank, 2, "size", "length");
        String interpolation = ctx.stringParam("nearest", "interpolation");
        Resize.Mode mode;
        switch (interpolation) {
            case "nearest":
                mode = Resize.Mode.NEAREST;
                break;
            case "bilinear":
                mode = Resize.Mode.LINEAR;
                break;
            default:
                throw ctx.unsupported("interpolation '" + interpolation + "' (nearest and bilinear are)");
        }
        Resize.Coordinates coordinates = Resize.Coordinates.HALF_PIXEL;
        if (mode == Resize.Mode.LINEAR && ctx.kerasVersion() == KerasVersion.KERAS_2) {
            String version = ctx.kerasVersionString() == null ? "" : ctx.kerasVersionString();
            String backend = ctx.backend() == null ? "tensorflow" : ctx.backend();
            // Keras 2.0 to 2.3 without the "-tf" suffix is the standalone multi-backend package.
            boolean multiBackend = !version.contains("-tf") && version.matches("2\\.[0-3]\\..*");
            if (multiBackend && !backend.equals("tensorflow")) {
                throw ctx.unsupported("bilinear UpSampling2D written with the " + backend + " backend");
            }
            if (multiBackend && version.startsWith("2.2.")) {
                coordinates = Resize.Coordinates.ASYMMETRIC;
            }
        }
        String y = ctx.outputName(0);
        ctx.add(new Resize(ctx.name(), ctx.input(0), y, layout, size, mode, coordinates));
        ctx.output(y);
    }
}
