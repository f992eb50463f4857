package io.sofie.keras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keras EinsumDense equations (batch included, ellipses allowed) rewritten per sample. */
class EinsumDenseEquationTest {
    @ParameterizedTest(name = "{0} on rank {1}")
    @CsvSource({
        "'ab,bc->ac', 2, 'b,bc->c'",
        "'abc,cde->abde', 3, 'bc,cde->bde'",
        "'abc,bcd->ad', 3, 'bc,bcd->d'",
        "'...b,bc->...c', 2, 'b,bc->c'",
        "'...b,bc->...c', 3, 'ab,bc->ac'",
        "'...b,bc->...c', 4, 'adb,bc->adc'",
        "'ab...,bc->ac...', 2, 'b,bc->c'",
        "'ab...,bc->ac...', 4, 'bde,bc->cde'",
        "'...cd,cde->...e', 4, 'acd,cde->ae'",
    })
    void perSample(String keras, int fullRank, String expected) {
        assertEquals(expected, EinsumDenseLayer.perSampleEquation(null, keras, fullRank));
    }
}
