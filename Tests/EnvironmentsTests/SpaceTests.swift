import Environments
import Foundation
import Testing

@Suite struct SpaceTests {
  @Test func dimensionsFollowSB2Preprocessing() {
    #expect(Space.discrete(n: 5).flatDimension == 5)
    #expect(Space.discrete(n: 5).actionDimension == 1)
    #expect(Space.multiDiscrete(nvec: [3, 2, 4]).flatDimension == 9)
    #expect(Space.multiDiscrete(nvec: [3, 2, 4]).actionDimension == 3)
    #expect(Space.multiBinary(n: 6).flatDimension == 6)
    #expect(Space.multiBinary(n: 6).actionDimension == 6)
    #expect(Space.box(low: [-1, -2, -3], high: [1, 2, 3]).flatDimension == 3)
    #expect(Space.box(low: [-1, -2, -3], high: [1, 2, 3]).actionDimension == 3)
  }

  @Test func containsChecksIndicesBoundsAndShape() {
    let discrete = Space.discrete(n: 3)
    #expect(discrete.contains([0]) && discrete.contains([2]))
    #expect(!discrete.contains([3]) && !discrete.contains([-1]) && !discrete.contains([1.5]))
    #expect(!discrete.contains([1, 1]))
    let box = Space.box(low: [-2, -.infinity], high: [2, 0])
    #expect(box.contains([-2, -1e300]) && box.contains([2, 0]))
    #expect(!box.contains([2.0000001, 0]) && !box.contains([0, 1e-9]) && !box.contains([.nan, 0]))
    let multi = Space.multiDiscrete(nvec: [2, 3])
    #expect(multi.contains([1, 2]) && !multi.contains([2, 0]) && !multi.contains([0]))
    let binary = Space.multiBinary(n: 2)
    #expect(binary.contains([0, 1]) && !binary.contains([0, 0.5]))
  }

  @Test func descriptionsUseGymnasiumNotation() {
    #expect(Space.discrete(n: 2).description == "Discrete(2)")
    #expect(Space.box(low: [-2], high: [2]).description == "Box([-2.0], [2.0], (1,), float32)")
    #expect(Space.multiDiscrete(nvec: [3, 2]).description == "MultiDiscrete([3, 2])")
    #expect(Space.multiBinary(n: 4).description == "MultiBinary(4)")
    #expect(
      CartPole().observationSpace.description
        == "Box([-4.8, -inf, -0.41887903, -inf], [4.8, inf, 0.41887903, inf], (4,), float32)")
  }

  @Test func codableRoundTripKeepsInfiniteBounds() throws {
    let spaces: [Space] = [
      CartPole().observationSpace, .discrete(n: 3), .multiDiscrete(nvec: [2, 5]), .multiBinary(n: 7),
      Pendulum().actionSpace,
    ]
    let data = try JSONEncoder().encode(spaces)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"inf\"") && text.contains("\"-inf\""))
    #expect(try JSONDecoder().decode([Space].self, from: data) == spaces)
    let bad = Data(#"{"type":"torus","n":2}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Space.self, from: bad) }
  }

  /// The observation contract: element type and count of a raw observation per space.
  @Test func observationsAreRawInTheSpacesOwnElementType() {
    let frames = Space.box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8)
    #expect(frames.observationElementType == .uint8 && frames.observationElementCount == 28_224)
    #expect(frames.flatDimension == 28_224 && frames.shape == [84, 84, 4])
    #expect(frames.description == "Box(0, 255, (84, 84, 4), uint8)")
    #expect(Space.discrete(n: 5).observationElementType == .int64)
    #expect(Space.discrete(n: 5).observationElementCount == 1 && Space.discrete(n: 5).flatDimension == 5)
    #expect(Space.multiDiscrete(nvec: [3, 4]).observationElementCount == 2)
    #expect(Space.multiDiscrete(nvec: [3, 4]).flatDimension == 7)
    #expect(Space.multiBinary(n: 3).observationElementType == .int8)
    #expect(CartPole().observationSpace.observationElementType == .float32)
    #expect(CartPole().observationSpace.shape == [4])
  }

  /// Image boxes encode their shape and dtype, with one bound for all components; files without
  /// them (every earlier model file) decode as 1-D float32 boxes.
  @Test func codableCarriesShapeAndDtypeAndReadsTheOlderForm() throws {
    let frames = Space.box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8)
    let data = try JSONEncoder().encode(frames)
    #expect(data.count < 120)
    #expect(try JSONDecoder().decode(Space.self, from: data) == frames)
    let older = Data(#"{"type":"box","low":[-1,-2],"high":[1,2]}"#.utf8)
    #expect(try JSONDecoder().decode(Space.self, from: older) == .box(low: [-1, -2], high: [1, 2]))
    let vectorText = String(decoding: try JSONEncoder().encode(Space.box(low: [-1, -2], high: [1, 2])), as: UTF8.self)
    #expect(!vectorText.contains("shape") && !vectorText.contains("dtype"))
    let huge = Data(#"{"type":"box","low":0,"high":1,"shape":[1099511627776],"dtype":"uint8"}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Space.self, from: huge) }
    let badType = Data(#"{"type":"box","low":0,"high":1,"shape":[2],"dtype":"complex64"}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Space.self, from: badType) }
  }

  @Test func validateNamesTheBadField() {
    #expect(throws: EnvironmentError.invalidSpace(field: "n", reason: "must be ≥ 1, got 0")) {
      try Space.discrete(n: 0).validate()
    }
    #expect(
      throws: EnvironmentError.invalidSpace(
        field: "low/high", reason: "must both have Π shape = 2 entries, got 2 and 1")
    ) { try Space.box(low: [0, 0], high: [1]).validate() }
    #expect(throws: EnvironmentError.invalidSpace(field: "shape", reason: "must have at least one dimension")) {
      try Space.box(low: [], high: [], shape: [], dtype: .float32).validate()
    }
    #expect(throws: EnvironmentError.invalidSpace(field: "shape[1]", reason: "must be ≥ 1, got 0")) {
      try Space.box(low: [], high: [], shape: [3, 0], dtype: .uint8).validate()
    }
    #expect(
      throws: EnvironmentError.invalidSpace(
        field: "shape", reason: "must have at most \(Space.maximumComponentCount) components, got [1048576, 1048576]")
    ) { try Space.box(low: [], high: [], shape: [1 << 20, 1 << 20], dtype: .uint8).validate() }
    #expect(throws: EnvironmentError.invalidSpace(field: "n", reason: "must be ≥ 1, got -3")) {
      try Space.multiBinary(n: -3).validate()
    }
    #expect(
      throws: EnvironmentError.invalidSpace(field: "low[1]", reason: "must be ≤ high[1] = -1.0, got 0.0")
    ) { try Space.box(low: [0, 0], high: [1, -1]).validate() }
    #expect(throws: EnvironmentError.invalidSpace(field: "nvec[1]", reason: "must be ≥ 1, got -2")) {
      try Space.multiDiscrete(nvec: [2, -2]).validate()
    }
    #expect(
      EnvironmentError.invalidSpace(field: "n", reason: "must be ≥ 1, got 0").description
        == "invalid space: n must be ≥ 1, got 0")
    for id in EnvironmentRegistry.ids {
      let env = try? EnvironmentRegistry.make(id)
      #expect((try? env?.observationSpace.validate()) != nil)
      #expect((try? env?.actionSpace.validate()) != nil)
    }
  }
}
