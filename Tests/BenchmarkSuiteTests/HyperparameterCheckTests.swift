import BenchmarkSuite
import Foundation
import Testing

@Suite("--set values: parsed, decoded and checked when the plan is built")
struct HyperparameterCheckTests {
  func plan(_ algorithm: AlgorithmID, _ overrides: [String: String]) throws -> RunPlan {
    var values: [String: HyperparameterValue] = [:]
    for (name, text) in overrides { values[name] = try HyperparameterValue(parsing: text, name: name) }
    return try RunPlan(
      suiteName: "smoke", algorithms: [algorithm], environments: [], seeds: 1, startSeed: 0, timesteps: nil,
      shard: nil, overrides: values)
  }

  func configuration(_ plan: RunPlan) throws -> [String: Any] {
    let data = try ModelFactory.configurationJSON(for: plan.runs[0].entry)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test("Text after = parses as a number, a boolean, JSON or a name")
  func parsing() throws {
    #expect(try HyperparameterValue(parsing: "0.99", name: "gamma") == .number(0.99))
    #expect(try HyperparameterValue(parsing: "false", name: "trust_region") == .bool(false))
    #expect(try HyperparameterValue(parsing: "linear", name: "lr_schedule") == .string("linear"))
    #expect(try HyperparameterValue(parsing: "null", name: "gae_lambda") == .json(.null))
    #expect(try HyperparameterValue(parsing: "[1, 2]", name: "x") == .json(.array([.number(1), .number(2)])))
    #expect(throws: BenchmarkError.self) { try HyperparameterValue(parsing: "{oops", name: "net_arch") }
  }

  @Test("Booleans, net_arch and null reach the configuration the run uses")
  func booleansAndStructures() throws {
    let acer = try configuration(try plan(.acer, ["trust_region": "false"]))
    #expect(acer["trust_region"] as? Bool == false)
    let acktr = try configuration(try plan(.acktr, ["async_eigen_decomp": "true", "gae_lambda": "0.95"]))
    #expect(acktr["async_eigen_decomp"] as? Bool == true)
    let arch = #"{"shared":[],"policy":[32,16],"value":[8],"activation":"relu"}"#
    let a2c = try configuration(try plan(.a2c, ["net_arch": arch]))
    let net = try #require(a2c["net_arch"] as? [String: Any])
    #expect(net["policy"] as? [Int] == [32, 16] && net["value"] as? [Int] == [8] && net["activation"] as? String == "relu")
    let nulled = try configuration(try plan(.acktr, ["gae_lambda": "null"]))
    #expect(nulled["gae_lambda"] is NSNull)
  }

  @Test("ACKTR's async_eigen_decomp_lag and eigen_solver are settable, listed, checked, and absent unless set")
  func acktrOptionalFields() throws {
    let set = try configuration(
      try plan(.acktr, ["async_eigen_decomp": "true", "async_eigen_decomp_lag": "4", "eigen_solver": "single"]))
    #expect(set["async_eigen_decomp_lag"] as? Int == 4)
    #expect(set["eigen_solver"] as? String == "single")
    let plain = try configuration(try plan(.acktr, [:]))
    #expect(plain["async_eigen_decomp_lag"] == nil && plain["eigen_solver"] == nil)
    #expect(throws: BenchmarkError.invalidHyperparameter(algorithm: "acktr", name: "eigen_solver", reason: "'half' (allowed: one of double, single)")) {
      _ = try plan(.acktr, ["eigen_solver": "half"])
    }
    #expect(throws: BenchmarkError.self) { _ = try plan(.acktr, ["async_eigen_decomp_lag": "0"]) }
    do { _ = try plan(.acktr, ["eigen_solvr": "single"]) } catch {
      #expect("\(error)".contains("async_eigen_decomp_lag") && "\(error)".contains("eigen_solver"))
    }
    #expect(throws: BenchmarkError.self) { _ = try plan(.a2c, ["eigen_solver": "single"]) }
  }

  @Test("ACKTR epsilon = 0 is refused when the plan is built, under its SB2 name")
  func acktrDamping() throws {
    #expect(throws: BenchmarkError.invalidHyperparameter(algorithm: "acktr", name: "epsilon", reason: "0.0 (allowed: a finite value > 0)")) {
      _ = try plan(.acktr, ["epsilon": "0"])
    }
    _ = try plan(.acktr, ["epsilon": "0.001"])
  }

  @Test("Every named value the error offers decodes")
  func namedValuesDecode() throws {
    for value in ["tensorFlow", "pyTorch"] { _ = try plan(.a2c, ["rmsprop_variant": value]) }
    for value in ["stable_baselines", "openai_baselines"] { _ = try plan(.acer, ["entropy_variant": value]) }
    for value in ["constant", "linear", "middle_drop", "double_linear_con", "double_middle_drop"] {
      _ = try plan(.a2c, ["lr_schedule": value])
    }
    #expect(throws: BenchmarkError.self) { _ = try plan(.a2c, ["rmsprop_variant": "adam"]) }
  }

  @Test("A value of the wrong type names its field and the expected type")
  func wrongTypes() throws {
    #expect(throws: BenchmarkError.invalidHyperparameter(algorithm: "acktr", name: "async_eigen_decomp", reason: "'1' (allowed: true or false)")) {
      _ = try plan(.acktr, ["async_eigen_decomp": "1"])
    }
    #expect(throws: BenchmarkError.invalidHyperparameter(algorithm: "a2c", name: "gamma", reason: "'true' (allowed: a number)")) {
      _ = try plan(.a2c, ["gamma": "true"])
    }
  }

  @Test("Suite files written before booleans existed read back unchanged")
  func oldValuesRoundTrip() throws {
    let values: [String: HyperparameterValue] = ["a": 0.5, "b": "linear", "c": true, "d": .json(.null)]
    let data = try JSONCoding.encoder.encode(values)
    #expect(String(decoding: data, as: UTF8.self) == "{\n  \"a\" : 0.5,\n  \"b\" : \"linear\",\n  \"c\" : true,\n  \"d\" : null\n}")
    #expect(try JSONCoding.decoder.decode([String: HyperparameterValue].self, from: data) == values)
  }
}
