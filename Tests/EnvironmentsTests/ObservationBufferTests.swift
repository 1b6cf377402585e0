import Environments
import Testing

@Suite struct ObservationBufferTests {
  @Test func layoutAlignmentAndCopies() {
    let buffer = ObservationBuffer(space: .box(low: 0, high: 255, shape: [2, 2, 3], dtype: .uint8), count: 3)
    #expect(buffer.bytesPerObservation == 12 && buffer.byteCount == 36)
    #expect(Int(bitPattern: buffer.bytes.baseAddress!) % 64 == 0)
    #expect(buffer.bytes.allSatisfy { $0 == 0 })
    let pixels = buffer.typedElements(as: UInt8.self)
    for i in 0..<pixels.count { pixels[i] = UInt8(i) }
    #expect(buffer.floats(of: 1) == (12..<24).map { Float($0) })
    let copy = buffer.copy()
    #expect(copy.hasSameContents(as: buffer))
    buffer.zeroObservation(1)
    #expect(!copy.hasSameContents(as: buffer))
    #expect(buffer.floats(of: 1).allSatisfy { $0 == 0 } && buffer.floats(of: 2)[0] == 24)
    buffer.copyObservation(1, from: copy, at: 2)
    #expect(buffer.floats(of: 1) == copy.floats(of: 2))
  }

  /// Each element type converts as NumPy's `astype(np.float32)`.
  @Test func floatConversionPerElementType() {
    #expect(ObservationBuffer([Int64(3), -2], elementsPerObservation: 1).floats() == [3, -2])
    #expect(ObservationBuffer([Int8(1), 0, -1], elementsPerObservation: 3).floats() == [1, 0, -1])
    #expect(ObservationBuffer([0.1, 1e40], elementsPerObservation: 2).floats() == [Float(0.1), .infinity])
    #expect(ObservationBuffer([Int64(16_777_217)], elementsPerObservation: 1).floats() == [16_777_216])
    #expect(ElementType.allCases.map(\.byteCount) == [1, 1, 8, 4, 8])
  }
}
