/// How a convolution pads its input, with TensorFlow's rules (`tf.nn.conv2d`, `padding=`).
public enum ConvolutionPadding: String, Codable, Sendable, CaseIterable {
  /// No padding: `out = ⌈(in − k + 1) / stride⌉`, the kernel stays inside the image.
  case valid
  /// Zero padding so that `out = ⌈in / stride⌉`. The total padding is
  /// `max((out − 1)·stride + k − in, 0)`; the top (left) side gets the floor of half of it and the
  /// bottom (right) side the rest, so an odd total puts the extra row at the bottom.
  case same
}

/// The shape arithmetic of a 2-D convolution over NHWC images, as TensorFlow computes it.
///
/// ```
/// VALID:  Oh = ⌈(H − kh + 1) / sh⌉,  padTop = 0
/// SAME:   Oh = ⌈H / sh⌉,  padTotal = max((Oh − 1)·sh + kh − H, 0),  padTop = ⌊padTotal / 2⌋
/// output (oh, ow) reads input rows  oh·sh − padTop + i  and columns  ow·sw − padLeft + j,
///         i < kh, j < kw (zero outside the image)
/// ```
/// (and the same for the width). Reference: TensorFlow `tensorflow/core/framework/kernel_shape_util.cc`
/// `GetWindowedOutputSizeVerbose`, the rule `tf.nn.conv2d` and `tf.extract_image_patches` share.
///
/// A patch — the input window of one output position — is flattened in `(i, j, c)` order,
/// row-major, which is both `tf.extract_image_patches`' order and the order of the rows of an
/// HWIO kernel reshaped to `[kh·kw·c_in, c_out]`.
public struct ConvolutionGeometry: Hashable, Codable, Sendable, CustomStringConvertible {
  /// Input height `H`.
  public let inputHeight: Int
  /// Input width `W`.
  public let inputWidth: Int
  /// Input channels `c_in`.
  public let inputChannels: Int
  /// Kernel height `kh`.
  public let kernelHeight: Int
  /// Kernel width `kw`.
  public let kernelWidth: Int
  /// Vertical stride `sh`.
  public let strideHeight: Int
  /// Horizontal stride `sw`.
  public let strideWidth: Int
  /// The padding rule.
  public let padding: ConvolutionPadding
  /// Output height `Oh`.
  public let outputHeight: Int
  /// Output width `Ow`.
  public let outputWidth: Int
  /// Zero rows added above the image (SAME only).
  public let padTop: Int
  /// Zero columns added left of the image (SAME only).
  public let padLeft: Int

  /// Computes the output size and padding.
  ///
  /// - Precondition: positive sizes; for VALID, the kernel fits in the image.
  public init(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, kernelHeight: Int, kernelWidth: Int,
    strideHeight: Int, strideWidth: Int, padding: ConvolutionPadding
  ) {
    precondition(
      inputHeight > 0 && inputWidth > 0 && inputChannels > 0,
      "a convolution needs a positive input size, got \(inputHeight)×\(inputWidth)×\(inputChannels)")
    precondition(
      kernelHeight > 0 && kernelWidth > 0 && strideHeight > 0 && strideWidth > 0,
      "a convolution needs a positive kernel and stride, got \(kernelHeight)×\(kernelWidth) / "
        + "\(strideHeight)×\(strideWidth)")
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    self.inputChannels = inputChannels
    self.kernelHeight = kernelHeight
    self.kernelWidth = kernelWidth
    self.strideHeight = strideHeight
    self.strideWidth = strideWidth
    self.padding = padding
    func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
    switch padding {
    case .valid:
      precondition(
        kernelHeight <= inputHeight && kernelWidth <= inputWidth,
        "a VALID \(kernelHeight)×\(kernelWidth) kernel does not fit a \(inputHeight)×\(inputWidth) image")
      outputHeight = ceilDiv(inputHeight - kernelHeight + 1, strideHeight)
      outputWidth = ceilDiv(inputWidth - kernelWidth + 1, strideWidth)
      padTop = 0
      padLeft = 0
    case .same:
      outputHeight = ceilDiv(inputHeight, strideHeight)
      outputWidth = ceilDiv(inputWidth, strideWidth)
      padTop = max((outputHeight - 1) * strideHeight + kernelHeight - inputHeight, 0) / 2
      padLeft = max((outputWidth - 1) * strideWidth + kernelWidth - inputWidth, 0) / 2
    }
  }

  /// Square kernel and equal strides.
  public init(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, kernelSize: Int, stride: Int,
    padding: ConvolutionPadding
  ) {
    self.init(
      inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels, kernelHeight: kernelSize,
      kernelWidth: kernelSize, strideHeight: stride, strideWidth: stride, padding: padding)
  }

  /// Features per input image, `H·W·c_in`.
  public var inputCount: Int { inputHeight * inputWidth * inputChannels }
  /// Output positions per image, `P = Oh·Ow`.
  public var outputPositions: Int { outputHeight * outputWidth }
  /// Length of one patch, `kh·kw·c_in` (the rows of the reshaped kernel).
  public var patchSize: Int { kernelHeight * kernelWidth * inputChannels }

  public var description: String {
    "\(inputHeight)×\(inputWidth)×\(inputChannels) ∗ \(kernelHeight)×\(kernelWidth)/"
      + "\(strideHeight)×\(strideWidth) \(padding.rawValue.uppercased()) → \(outputHeight)×\(outputWidth)"
  }
}
