import LinearAlgebra
import NeuralNetwork
import Testing

@Suite struct OptimizerTests {
  @Test func tensorFlowRMSPropOracle() {
    // algorithms.md §6: g = 2, ρ = .99, ε = 1e-5, lr = 1 from ms = 1:
    // ms = .99 + .04 = 1.03 and Δθ = −2/sqrt(1.03001) ≈ −1.97065.
    let p = Parameter(name: "x", shape: [1], rows: 1, columns: 1)
    p.gradient.elements = [2]
    let rmsprop = RMSProp(parameters: [p], decay: 0.99, epsilon: 1e-5)
    rmsprop.step(learningRate: 1)
    #expect(abs(p.value.elements[0] - (-1.97065)) < 1e-5)
    #expect(abs(rmsprop.state[0][0] - 1.03) < 1e-6)
  }

  @Test func pyTorchRMSPropVariantStartsFromZero() {
    let p = Parameter(name: "x", shape: [1], rows: 1, columns: 1)
    p.gradient.elements = [2]
    RMSProp(parameters: [p], decay: 0.99, epsilon: 1e-5, variant: .pyTorch).step(learningRate: 1)
    // ms = .04, step = 2/(0.2 + 1e-5)
    #expect(abs(p.value.elements[0] - (-2 / (0.2 + 1e-5))) < 1e-3)
  }

  @Test func momentumSGDMatchesTensorFlow() {
    let p = Parameter(name: "x", shape: [1], rows: 1, columns: 1)
    let sgd = MomentumSGD(parameters: [p], momentum: 0.9)
    p.gradient.elements = [1]
    sgd.step(learningRate: 0.1)  // acc 1, θ −0.1
    sgd.step(learningRate: 0.1)  // acc 1.9, θ −0.29
    #expect(abs(p.value.elements[0] - (-0.29)) < 1e-6)
  }

  @Test func globalNormClipping() {
    let a = Parameter(name: "a", shape: [2], rows: 1, columns: 2)
    let b = Parameter(name: "b", shape: [1], rows: 1, columns: 1)
    a.gradient.elements = [3, 0]
    b.gradient.elements = [4]
    let norm = clipByGlobalNorm([a, b], maxNorm: 0.5)
    #expect(norm == 5)
    #expect(abs(a.gradient.elements[0] - 0.3) < 1e-7 && abs(b.gradient.elements[0] - 0.4) < 1e-7)
    // Under the threshold nothing changes.
    #expect(clipByGlobalNorm([a, b], maxNorm: 10) <= 0.5 + 1e-6)
    #expect(abs(b.gradient.elements[0] - 0.4) < 1e-7)
  }
}

@Suite struct ScheduleTests {
  @Test func scheduleTableFromTheSpecification() {
    // algorithms.md §1.7 spot values at p = 0, .2, .3, .5, .8, .99.
    let ps = [0, 0.2, 0.3, 0.5, 0.8, 0.99]
    let expected: [LearningRateSchedule: [Double]] = [
      .constant: [1, 1, 1, 1, 1, 1],
      .linear: [1, 0.8, 0.7, 0.5, 0.2, 0.01],
      .middleDrop: [1, 0.8, 0.075, 0.075, 0.075, 0.075],
      .doubleLinearConstant: [1, 0.6, 0.4, 0.125, 0.125, 0.125],
      .doubleMiddleDrop: [1, 0.8, 0.075, 0.075, 0.125, 0.125],
    ]
    for (schedule, values) in expected {
      for (p, v) in zip(ps, values) { #expect(abs(schedule.multiplier(progress: p) - v) < 1e-12, "\(schedule) at \(p)") }
    }
  }

  @Test func schedulerSteppingIsPerSample() {
    // Update u runs at lr₀·f((u·B − 1)/total).
    var scheduler = Scheduler(initialValue: 1, schedule: .linear, total: 100)
    let batch = 10
    for u in 1...5 {
      let lr = scheduler.value(forBatchOf: batch)
      #expect(abs(lr - (1 - Double(u * batch - 1) / 100)) < 1e-12)
    }
    #expect(scheduler.value(atStep: 50) == 0.5)
  }
}
