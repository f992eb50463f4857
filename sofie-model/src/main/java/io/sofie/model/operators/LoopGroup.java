package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of consecutive axes of a per-sample shape that share a mark (reduced or kept, broadcast or not), merged into
 * one loop: operators that treat some axes differently from others emit one loop per run instead of one per axis.
 * Axes of size 1 are dropped, since they add nothing to an index.
 */
final class LoopGroup {
    /** Number of positions the run covers. */
    final int size;
    /** Distance in the flat per-sample array between neighbouring positions of the run. */
    final int stride;
    final boolean marked;

    private LoopGroup(int size, int stride, boolean marked) {
        this.size = size;
        this.stride = stride;
        this.marked = marked;
    }

    /** The runs of {@code shape}, outermost first, where {@code marks[axis]} tells which axes belong together. */
    static List<LoopGroup> of(Shape shape, boolean[] marks) {
        List<LoopGroup> groups = new ArrayList<>();
        int stride = 1;
        // Walk from the innermost axis so that each run's stride is the product of the sizes after it.
        for (int a = shape.rank() - 1; a >= 0; a--) {
            int d = shape.dim(a);
            if (d == 1) {
                continue;
            }
            LoopGroup inner = groups.isEmpty() ? null : groups.get(0);
            if (inner != null && inner.marked == marks[a] && inner.stride * inner.size == stride) {
                groups.set(0, new LoopGroup(inner.size * d, inner.stride, marks[a]));
            } else {
                groups.add(0, new LoopGroup(d, stride, marks[a]));
            }
            stride *= d;
        }
        return groups;
    }

    /** Opens one loop per group, with index variables {@code prefix0, prefix1, ...}. */
    static void open(CodeBlock.Builder b, List<LoopGroup> groups, String prefix) {
        for (int i = 0; i < groups.size(); i++) {
            b.beginControlFlow("for (int $L$L = 0; $L$L < $L; $L$L++)", prefix, i, prefix, i, groups.get(i).size,
                    prefix, i);
        }
    }

    static void close(CodeBlock.Builder b, List<LoopGroup> groups) {
        for (int i = 0; i < groups.size(); i++) {
            b.endControlFlow();
        }
    }

    /** {@code " + prefix0 * stride0 + ..."}: the flat offset of the current position of the loops. */
    static String offset(List<LoopGroup> groups, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            sb.append(" + ").append(prefix).append(i);
            if (groups.get(i).stride != 1) {
                sb.append(" * ").append(groups.get(i).stride);
            }
        }
        return sb.toString();
    }
}
