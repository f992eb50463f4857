package io.sofie.model.operators;

import io.sofie.model.ModelException;
import io.sofie.model.Shape;

/**
 * Where the channel axis of a per-sample spatial tensor sits. Keras is channels-last by default but lets a layer say
 * channels-first; operators keep whichever layout the model uses instead of transposing around each layer.
 */
public enum Layout {
    /** (spatial..., C). */
    CHANNELS_LAST,
    /** (C, spatial...). */
    CHANNELS_FIRST;

    public int channelAxis(Shape s) {
        return this == CHANNELS_LAST ? s.rank() - 1 : 0;
    }

    public int channels(Shape s) {
        return s.dim(channelAxis(s));
    }

    /** The spatial sizes, outermost first. */
    public int[] spatial(Shape s) {
        int[] d = s.dims();
        int[] sp = new int[d.length - 1];
        System.arraycopy(d, this == CHANNELS_LAST ? 0 : 1, sp, 0, sp.length);
        return sp;
    }

    /** A per-sample shape from spatial sizes and a channel count. */
    public Shape shape(int[] spatial, int channels) {
        int[] d = new int[spatial.length + 1];
        System.arraycopy(spatial, 0, d, this == CHANNELS_LAST ? 0 : 1, spatial.length);
        d[this == CHANNELS_LAST ? spatial.length : 0] = channels;
        return Shape.of(d);
    }

    /** Checks that {@code s} has {@code spatialRank} spatial axes plus channels. */
    public void requireRank(Shape s, int spatialRank, String who) {
        if (s.rank() != spatialRank + 1) {
            throw new ModelException(who + ": input " + s + " is not a " + spatialRank + "-D " + this
                    + " tensor (expected " + (spatialRank + 1) + " axes per sample)");
        }
    }

    @Override
    public String toString() {
        return this == CHANNELS_LAST ? "channels_last" : "channels_first";
    }
}
